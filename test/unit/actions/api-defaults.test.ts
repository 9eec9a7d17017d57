/**
 * The programmatic API as the README shows it: AWS clients are optional (the CLI's factory is the default) and
 * exported, and showDefinition takes the same `{ source, io, awsFor? }` as deploy.
 */
import { expect } from 'chai';
import path from 'node:path';
import * as api from '../../../lib/index.js';
import { definitionsDir } from '../../helpers/paths.js';

describe('programmatic API defaults', () => {
  it('exports the AWS factory the CLI uses, lazily (no SDK until a port is used)', () => {
    expect(api.lazyAwsFor).to.be.a('function');
    expect(api.createAwsClients).to.be.a('function');
    expect(api.awsClientsFromPorts).to.be.a('function');
    const clients = api.lazyAwsFor({ region: 'eu-west-1' })(undefined)();
    expect(clients.ecs).to.be.a('function');
    expect(api.HAKO_PACKAGE).to.equal('hako-ecs');
  });

  it('showDefinition needs no AWS clients and takes the same options shape as deploy', async () => {
    const io = new api.RecordingIoHost();
    const options: Pick<api.DeployOptions, 'source' | 'io' | 'awsFor' | 'tag'> = { source: { file: path.join(definitionsDir, 'hello.jsonnet') }, io, tag: 'v9' };
    await api.showDefinition({ ...options, expand: false, raw: false, format: 'json' });
    const model = JSON.parse(io.results[0]!) as { containers: { image: string }[] };
    expect(model.containers[0]!.image).to.equal('ryotarai/hello-sinatra:v9');
  });
});
