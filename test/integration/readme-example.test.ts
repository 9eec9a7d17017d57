/**
 * The README's programmatic example is examples/deploy.mjs, included verbatim; this runs that very file against
 * moto (in this process: the AWS clients are the default ones, configured by the environment, like the CLI's).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { applyProcessEnv, useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { definitionsDir, repoRoot } from '../helpers/paths.js';

const EXAMPLE = path.join(repoRoot, 'examples', 'deploy.mjs');

describe('integration: the README example of the programmatic API', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  let restore: () => void;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    restore = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined, ...account.env });
  });
  afterEach(() => restore());

  it('is in the README verbatim', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).to.include('```js\n' + readFileSync(EXAMPLE, 'utf8') + '```');
  });

  it('plans and deploys definitions/hello-fargate.jsonnet with the default AWS clients', async () => {
    const { deployWithPlan } = (await import(pathToFileURL(EXAMPLE).href)) as {
      deployWithPlan(file: string, tag?: string): Promise<{ plan: string; messages: string[] }>;
    };
    const { plan, messages } = await deployWithPlan(path.join(definitionsDir, 'hello-fargate.jsonnet'), 'v1');
    expect(plan).to.match(/^Plan: 1 to register, \d+ to create/m);
    expect(messages.join('\n')).to.match(/Registered task definition: .*hello-fargate:1/);
    const ecs = new ECSClient(motoClientConfig(moto));
    try {
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['hello-fargate'] }))).services?.[0];
      expect(service?.status).to.equal('ACTIVE');
      expect(service?.taskDefinition).to.match(/hello-fargate:1$/);
    } finally {
      ecs.destroy();
    }
  });
});
