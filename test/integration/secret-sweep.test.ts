/**
 * The planted-secret sweep (issue 8): four secrets, one from each kind of provider, and every command's output —
 * text, --debug (stack traces and every debug line), --output json — read for them. Provider values may only ever
 * appear masked, on the screen, in CI logs and in pasted plans.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { useMoto } from './harness/moto.js';

const SWEEP = path.join('test', 'fixtures', 'integration', 'secret-sweep.jsonnet');
const PLANTED = {
  file: 'planted-file-9d41c7e2',
  expanded: 'planted-expanded-5b0a8f13',
  ssm: 'planted-ssm-7c3e91a4',
  secretsManager: 'planted-sm-2f6d08b5',
};
const MODES: readonly (readonly string[])[] = [[], ['--debug'], ['--output', 'json', '--debug']];

describe('integration: planted secrets never print (every command, every output mode)', function () {
  this.timeout(600_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  let env: NodeJS.ProcessEnv;
  const seen: { args: string; result: CliResult }[] = [];

  const hako = async (args: readonly string[], cluster = 'hako-demo'): Promise<CliResult> => {
    // hako's own options before `--`: what follows it is oneshot's command.
    const dash = args.indexOf('--');
    const own = dash < 0 ? [...args] : args.slice(0, dash);
    const command = dash < 0 ? [] : args.slice(dash);
    const result = await runHako([...own, '--ext-str', `cluster=${cluster}`, ...command], { env, cwd: repoRoot });
    seen.push({ args: args.join(' '), result });
    return result;
  };
  const ok = async (args: readonly string[]): Promise<CliResult> => {
    const r = await hako(args);
    expect(r.code, `${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.be.oneOf([0, 16]);
    return r;
  };

  it('shows no planted value anywhere, while the values really flow into the task definition', async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...moto.env(), AWS_PROFILE: undefined, ...account.env };
    const ssm = new SSMClient(motoClientConfig(moto));
    const sm = new SecretsManagerClient(motoClientConfig(moto));
    const ecs = new ECSClient(motoClientConfig(moto));
    try {
      await ssm.send(new PutParameterCommand({ Name: '/hako-sweep/DB_PASSWORD', Value: PLANTED.ssm, Type: 'SecureString' }));
      await sm.send(new CreateSecretCommand({ Name: 'hako-sweep', SecretString: JSON.stringify({ API_TOKEN: PLANTED.secretsManager }) }));

      // Before anything exists: the dry runs and diffs of a first deploy.
      for (const mode of MODES) {
        await ok(['show-definition', SWEEP, ...mode]);
        await ok(['show-definition', SWEEP, '--format', 'docker', ...mode]);
        await ok(['diff', SWEEP, ...mode]);
        await ok(['deploy', '--dry-run', SWEEP, ...mode]);
      }
      // A real deploy (its own output swept too), a second revision and a real oneshot: live state with the values.
      await ok(['deploy', SWEEP, '--debug']);
      await ok(['deploy', SWEEP, '--tag', '1.28', '--output', 'json', '--debug']);
      await ok(['oneshot', SWEEP, '--debug', '--', 'echo', 'hi']);
      const live = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'secret-sweep' }));
      const envOf = Object.fromEntries((live.taskDefinition?.containerDefinitions?.[0]?.environment ?? []).map((e) => [e.name, e.value]));
      // Proof that the test is about real secrets: each planted value is in the live task definition.
      expect(envOf).to.deep.include({
        FROM_FILE: PLANTED.file,
        FROM_SSM: PLANTED.ssm,
        FROM_SECRETS_MANAGER: PLANTED.secretsManager,
        GREETING: `hello ${PLANTED.expanded}`,
      });

      for (const mode of MODES) {
        await ok(['diff', SWEEP, ...mode]);
        await ok(['deploy', '--dry-run', SWEEP, '--tag', '1.29', ...mode]);
        await ok(['oneshot', '--dry-run', SWEEP, ...mode, '--', 'echo', 'hi']);
        await ok(['rollback', '--dry-run', SWEEP, ...mode]);
        await ok(['stop', '--dry-run', SWEEP, ...mode]);
        await ok(['remove', '--dry-run', SWEEP, ...mode]);
        await ok(['status', SWEEP, ...mode]);
        await ok(['verify', SWEEP, ...mode]).catch(() => undefined);
        // An error after the providers were read: the cluster does not exist.
        const failed = await hako(['deploy', SWEEP, ...mode], 'no-such-cluster');
        expect(failed.code).to.equal(1);
      }

      const masked = seen.filter((s) => /\(from a provider, sha256:[0-9a-f]{8}\)/.test(s.result.stdout + s.result.stderr));
      expect(masked.length, 'the plans show the provider values masked (so they were read and compared)').to.be.greaterThan(6);
      for (const { args, result } of seen) {
        const out = `${result.stdout}\n${result.stderr}`;
        for (const [kind, value] of Object.entries(PLANTED)) {
          expect(out.includes(value), `hako ${args} printed the ${kind} secret\n${out}`).to.equal(false);
        }
      }
      expect(seen.length).to.be.greaterThan(40);
    } finally {
      ssm.destroy();
      sm.destroy();
      ecs.destroy();
    }
  });
});
