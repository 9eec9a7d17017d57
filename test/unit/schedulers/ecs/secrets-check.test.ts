import { expect } from 'chai';
import { checkSecrets } from '../../../../lib/schedulers/ecs/secrets-check.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AwsClients, secretsManager, ssm } from '../../../../lib/aws/ports.js';
import type { Container, ContainerModel } from '../../../../lib/definition/model.js';
import { AwsApiError, HakoError } from '../../../../lib/errors.js';

const ACCOUNT = '012345678901';

function container(secrets: { name: string; value_from: string }[], extra: Partial<ContainerModel> = {}): Container {
  return {
    name: 'app',
    image: 'busybox:latest',
    cpu: 32,
    memory: 64,
    links: [],
    port_mappings: [],
    essential: true,
    env: [],
    env_providers: [],
    secrets,
    docker_labels: {},
    mount_points: [],
    privileged: false,
    volumes_from: [],
    ...extra,
  };
}

/** Fake SSM and Secrets Manager per region; every call is recorded with its region. */
class FakeAws {
  ssmCalls: { region: string | undefined; input: ssm.GetParametersCommandInput }[] = [];
  secretCalls: { region: string | undefined; input: secretsManager.GetSecretValueCommandInput }[] = [];
  invalidParameters = new Set<string>();
  /** SecretString by SecretId; absent = ResourceNotFoundException. */
  secrets = new Map<string, string>();

  clients(): AwsClients {
    return {
      ...awsClientsFromPorts({}),
      ssm: async (region) => ({
        getParameters: async (input) => {
          this.ssmCalls.push({ region, input });
          const names = input.Names ?? [];
          return {
            Parameters: names.filter((n) => !this.invalidParameters.has(n)).map((n) => ({ Name: n, Value: 'v' })),
            InvalidParameters: names.filter((n) => this.invalidParameters.has(n)),
            $metadata: {},
          };
        },
      }),
      secretsManager: async (region) => ({
        getSecretValue: async (input) => {
          this.secretCalls.push({ region, input });
          const value = this.secrets.get(input.SecretId ?? '');
          if (value === undefined) {
            throw new AwsApiError('SecretsManager', 'GetSecretValue', 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          }
          return { SecretString: value, $metadata: {} };
        },
      }),
    };
  }
}

async function failure(p: Promise<void>): Promise<HakoError> {
  return p.then(
    () => {
      throw new Error('expected checkSecrets to throw');
    },
    (e: unknown) => e as HakoError,
  );
}

describe('schedulers/ecs: checkSecrets', () => {
  describe('parameter store (hako spec case 8)', () => {
    const arn1 = `arn:aws:ssm:ap-northeast-1:${ACCOUNT}:parameter/hako/SECRET_MESSAGE1`;
    const arn2 = `arn:aws:ssm:ap-northeast-1:${ACCOUNT}:parameter/hako/SECRET_MESSAGE2`;
    const arn3 = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/hako/SECRET_MESSAGE3`;
    const containers = [
      container([
        { name: 'MESSAGE1', value_from: arn1 },
        { name: 'MESSAGE2', value_from: arn2 },
        { name: 'MESSAGE3', value_from: arn3 },
      ]),
    ];

    it('makes one GetParameters call per region with the full ARNs', async () => {
      const aws = new FakeAws();
      await checkSecrets(containers, aws.clients());
      expect(aws.ssmCalls).to.deep.equal([
        { region: 'ap-northeast-1', input: { Names: [arn1, arn2] } },
        { region: 'us-east-1', input: { Names: [arn3] } },
      ]);
      expect(aws.secretCalls).to.deep.equal([]);
    });

    it('names only the parameters SSM reports invalid', async () => {
      const aws = new FakeAws();
      aws.invalidParameters.add(arn2);
      const err = await failure(checkSecrets(containers, aws.clients()));
      expect(err).to.be.instanceOf(HakoError);
      expect(err.message).to.equal(`Invalid ARNs for secrets: ["${arn2}"]`);
      expect(err.message).to.not.contain('MESSAGE1');
      expect(err.message).to.not.contain('MESSAGE3');
      expect(aws.ssmCalls).to.have.length(2);
    });

    it('batches 10 names per call', async () => {
      const aws = new FakeAws();
      const many = Array.from({ length: 21 }, (_, i) => ({ name: `S${i}`, value_from: `arn:aws:ssm:ap-northeast-1:${ACCOUNT}:parameter/p${i}` }));
      await checkSecrets([container(many)], aws.clients());
      expect(aws.ssmCalls.map((c) => c.input.Names?.length)).to.deep.equal([10, 10, 1]);
    });
  });

  describe('secrets manager (hako spec case 8)', () => {
    const base = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:hoge`;
    const fuga1 = `${base}/fuga1-abcdef:::`;
    const fuga2a = `${base}/fuga2-abcdef:SECRET_MESSAGE1::`;
    const fuga2b = `${base}/fuga2-abcdef:SECRET_MESSAGE2::`;
    const fuga3 = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hoge/fuga3-abcdef:SECRET_MESSAGE3::`;
    const containers = [
      container([
        { name: 'MESSAGE', value_from: fuga1 },
        { name: 'MESSAGE1', value_from: fuga2a },
        { name: 'MESSAGE2', value_from: fuga2b },
        { name: 'MESSAGE3', value_from: fuga3 },
      ]),
    ];
    const VALUE = 'super-secret-value';

    function stocked(fuga2?: Record<string, string>): FakeAws {
      const aws = new FakeAws();
      aws.secrets.set(`${base}/fuga1-abcdef`, VALUE);
      if (fuga2) aws.secrets.set(`${base}/fuga2-abcdef`, JSON.stringify(fuga2));
      aws.secrets.set(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hoge/fuga3-abcdef`, JSON.stringify({ SECRET_MESSAGE3: VALUE }));
      return aws;
    }

    it('reads each secret once by its plain ARN, without stage or version', async () => {
      const aws = stocked({ SECRET_MESSAGE1: VALUE, SECRET_MESSAGE2: VALUE });
      await checkSecrets(containers, aws.clients());
      expect(aws.secretCalls).to.deep.equal([
        { region: 'ap-northeast-1', input: { SecretId: `${base}/fuga1-abcdef` } },
        { region: 'ap-northeast-1', input: { SecretId: `${base}/fuga2-abcdef` } },
        { region: 'us-east-1', input: { SecretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hoge/fuga3-abcdef` } },
      ]);
      expect(aws.ssmCalls).to.deep.equal([]);
    });

    it('reports a missing JSON key for that ARN only', async () => {
      const aws = stocked({ SECRET_MESSAGE1: VALUE });
      const err = await failure(checkSecrets(containers, aws.clients()));
      expect(err.message).to.equal(`Invalid ARNs for secrets: ["${fuga2b}"]`);
      expect(aws.secretCalls).to.have.length(3);
    });

    it('reports every ARN of a missing secret, and never a value', async () => {
      const aws = stocked(undefined);
      const err = await failure(checkSecrets(containers, aws.clients()));
      expect(err.message).to.equal(`Invalid ARNs for secrets: ["${fuga2a}", "${fuga2b}"]`);
      expect(err.message).to.not.contain('MESSAGE3');
      expect(JSON.stringify({ m: err.message, h: err.hint })).to.not.contain(VALUE);
      expect(aws.secretCalls).to.have.length(3);
    });

    it('passes version stage and id when given, one read per (name, stage, id)', async () => {
      const aws = new FakeAws();
      aws.secrets.set(`${base}/s`, JSON.stringify({ A: '1', B: '2' }));
      await checkSecrets(
        [
          container([
            { name: 'A', value_from: `${base}/s:A:AWSPREVIOUS:` },
            { name: 'B', value_from: `${base}/s:B:AWSPREVIOUS:` },
            { name: 'C', value_from: `${base}/s:A::v-1` },
          ]),
        ],
        aws.clients(),
      );
      expect(aws.secretCalls.map((c) => c.input)).to.deep.equal([
        { SecretId: `${base}/s`, VersionStage: 'AWSPREVIOUS' },
        { SecretId: `${base}/s`, VersionId: 'v-1' },
      ]);
    });
  });

  describe('beyond hako', () => {
    it('accepts a plain SSM name (default region) and a bare Secrets Manager ARN (whole secret)', async () => {
      const aws = new FakeAws();
      const bare = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:whole-AbCdEf`;
      aws.secrets.set(bare, 'not json at all');
      await checkSecrets([container([{ name: 'P', value_from: '/myapp/P' }, { name: 'W', value_from: bare }])], aws.clients());
      expect(aws.ssmCalls).to.deep.equal([{ region: undefined, input: { Names: ['/myapp/P'] } }]);
      expect(aws.secretCalls.map((c) => c.input)).to.deep.equal([{ SecretId: bare }]);
    });

    it('reports malformed references and other services without calling AWS for them', async () => {
      const aws = new FakeAws();
      const refs = [
        'arn:aws:s3:::bucket/key',
        'arn:aws:ssm:ap-northeast-1',
        `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:name:key`,
        `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret::key::`,
      ];
      const err = await failure(checkSecrets([container(refs.map((value_from, i) => ({ name: `X${i}`, value_from })))], aws.clients()));
      expect(err.message).to.equal(`Invalid ARNs for secrets: [${refs.map((r) => JSON.stringify(r)).join(', ')}]`);
      expect(aws.ssmCalls).to.deep.equal([]);
      expect(aws.secretCalls).to.deep.equal([]);
    });

    it('checks log secret_options too, across containers, each reference once', async () => {
      const aws = new FakeAws();
      const arn = `arn:aws:ssm:ap-northeast-1:${ACCOUNT}:parameter/shared`;
      const logArn = `arn:aws:ssm:ap-northeast-1:${ACCOUNT}:parameter/log-token`;
      aws.invalidParameters.add(logArn);
      const front = container([{ name: 'S', value_from: arn }], {
        name: 'front',
        log_configuration: { log_driver: 'awsfirelens', options: {}, secret_options: [{ name: 'T', value_from: logArn }] },
      });
      const err = await failure(checkSecrets([container([{ name: 'S', value_from: arn }]), front], aws.clients()));
      expect(err.message).to.equal(`Invalid ARNs for secrets: ["${logArn}"]`);
      expect(aws.ssmCalls).to.deep.equal([{ region: 'ap-northeast-1', input: { Names: [arn, logArn] } }]);
    });

    it('lets other AWS errors through', async () => {
      const aws: AwsClients = {
        ...awsClientsFromPorts({}),
        ssm: async () => ({
          getParameters: async () => {
            throw new AwsApiError('SSM', 'GetParameters', 'AccessDeniedException', 'denied');
          },
        }),
      };
      const err = await failure(checkSecrets([container([{ name: 'P', value_from: '/p' }])], aws));
      expect(err).to.be.instanceOf(AwsApiError);
    });

    it('does nothing for containers without secrets', async () => {
      await checkSecrets([container([]), { ...container([]), secrets: undefined }], awsClientsFromPorts({}));
    });
  });
});
