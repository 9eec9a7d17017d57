/**
 * nginx_front against moto through the real factory: the uploaded object is exactly the rendered config, and a
 * second plan against what S3 now holds is a noop (redeploys upload nothing).
 */
import { appModel } from '../../helpers/model-builders.js';
import { expect } from 'chai';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../../lib/aws/factory.js';
import type { AwsClients } from '../../../lib/aws/ports.js';
import type { AppModel } from '../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { frontConfigFor, nginxFrontConfigSchema, nginxFrontScript } from '../../../lib/scripts/nginx-front/index.js';
import { motoClientConfig } from '../harness/aws.js';
import { applyProcessEnv, useMoto } from '../harness/moto.js';
import { applyContext } from '../../helpers/apply-context.js';


const MODEL: AppModel = appModel();

describe('integration: nginx_front uploads its config to S3', () => {
  // The bucket lives in another region than the scheduler's default: the script must use s3.region.
  const moto = useMoto();
  const bucketRegion = 'us-west-2';
  let restoreEnv: () => void;
  let aws: AwsClients;

  before(() => {
    restoreEnv = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined });
  });
  after(() => restoreEnv());
  beforeEach(async () => {
    aws = createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 'integration' });
    const s3 = new S3Client(motoClientConfig(moto, bucketRegion));
    await s3.send(new CreateBucketCommand({ Bucket: 'front-configs', CreateBucketConfiguration: { LocationConstraint: bucketRegion } }));
    s3.destroy();
  });

  async function readObject(key: string): Promise<{ body: string; contentType?: string }> {
    const s3 = new S3Client(motoClientConfig(moto, bucketRegion));
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: 'front-configs', Key: key }));
      return { body: await out.Body!.transformToString(), contentType: out.ContentType };
    } finally {
      s3.destroy();
    }
  }

  it('plan + apply puts the rendered config; the next plan is a noop; a changed option plans an update', async () => {
    const config = nginxFrontConfigSchema.parse({
      s3: { region: bucketRegion, bucket: 'front-configs', prefix: 'hako/front_config' },
      backend_port: 3000,
      locations: { '/': {}, '/admin': { allow_only_from: ['10.0.0.0/8'] } },
    });
    const io = new RecordingIoHost();
    const script = nginxFrontScript.create(config, { appId: 'nanika', rootPath: '/defs', aws: () => aws, io, dryRun: false });

    const steps = await script.plan!(MODEL, { forOneshot: false });
    expect(steps.map((s) => [s.kind, s.action])).to.deep.equal([['upload-front-config', 'create']]);
    for (const step of steps) await script.apply!(step, applyContext({ io, aws: () => aws }));

    const stored = await readObject('hako/front_config/nanika.conf');
    expect(stored.body).to.equal(frontConfigFor(config, MODEL));
    expect(stored.body).to.include('    allow 10.0.0.0/8;\n    deny all;\n');
    expect(stored.contentType).to.equal('text/plain');
    expect(io.lines).to.include('Uploaded front configuration to s3://front-configs/hako/front_config/nanika.conf');

    const again = await script.plan!(MODEL, { forOneshot: false });
    expect(again.map((s) => [s.kind, s.action])).to.deep.equal([['front-config-unchanged', 'noop']]);

    const changed = nginxFrontConfigSchema.parse({ ...config, client_max_body_size: '10m' });
    const other = nginxFrontScript.create(changed, { appId: 'nanika', rootPath: '/defs', aws: () => aws, io, dryRun: false });
    const update = await other.plan!(MODEL, { forOneshot: false });
    expect(update.map((s) => [s.kind, s.action])).to.deep.equal([['upload-front-config', 'update']]);
    expect(update[0]!.before).to.equal(stored.body);
  });
});
