import { expect } from 'chai';
import { ClientException } from '@aws-sdk/client-ecs';
import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { bindPort, type SdkClient } from '../../../lib/aws/bind-port.js';
import { isAwsError, toAwsApiError } from '../../../lib/aws/aws-error.js';
import { AwsApiError, HakoError } from '../../../lib/errors.js';

class DescribeThingsCommand {
  constructor(readonly input: unknown) {}
}
class PutThingCommand {
  constructor(readonly input: unknown) {}
}

interface ThingApi {
  describeThings(input: { id: string }): Promise<{ ok: boolean }>;
  putThing(input: { id: string }): Promise<{ ok: boolean }>;
}

function recordingClient(answer: (command: unknown) => unknown): SdkClient & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    sent,
    async send(command: unknown) {
      sent.push(command);
      return answer(command);
    },
  };
}

describe('aws: bindPort', () => {
  const commands = { DescribeThingsCommand, PutThingCommand };
  const methods = { describeThings: true, putThing: true } as const;

  it('sends the command named after each method, with the input', async () => {
    const client = recordingClient((c) => ({ ok: c instanceof PutThingCommand }));
    const port = bindPort<ThingApi>('Thing', client, commands, methods);
    expect(await port.putThing({ id: 'a' })).to.deep.equal({ ok: true });
    expect(await port.describeThings({ id: 'b' })).to.deep.equal({ ok: false });
    expect(client.sent).to.have.length(2);
    expect(client.sent[0]).to.be.instanceOf(PutThingCommand);
    expect((client.sent[1] as DescribeThingsCommand).input).to.deep.equal({ id: 'b' });
  });

  it("asks for a method's own client at its first call, so that one no call uses is never made", async () => {
    const shared = recordingClient(() => ({ ok: false }));
    const own = recordingClient(() => ({ ok: true }));
    const asked: string[] = [];
    const port = bindPort<ThingApi>('Thing', (method) => (asked.push(method), method === 'putThing' ? own : shared), commands, methods);
    expect(asked).to.deep.equal([]);
    expect(await port.describeThings({ id: 'b' })).to.deep.equal({ ok: false });
    expect(asked).to.deep.equal(['describeThings']);
    expect(await port.putThing({ id: 'a' })).to.deep.equal({ ok: true });
    expect(own.sent).to.have.length(1);
    expect(shared.sent).to.have.length(1);
  });

  it('fails at once when the SDK module lacks a command', () => {
    const client = recordingClient(() => ({}));
    expect(() => bindPort<ThingApi>('Thing', client, { DescribeThingsCommand }, methods)).to.throw(/PutThingCommand/);
  });

  it('maps an SDK service exception to AwsApiError keeping service, operation, code and cause', async () => {
    const original = new ClientException({ message: 'Unable to describe task definition.', $metadata: { httpStatusCode: 400 } });
    const client = recordingClient(() => {
      throw original;
    });
    const port = bindPort<ThingApi>('ECS', client, commands, methods);
    const err = await port.describeThings({ id: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AwsApiError);
    const apiError = err as AwsApiError;
    expect(apiError.service).to.equal('ECS');
    expect(apiError.operation).to.equal('DescribeThings');
    expect(apiError.awsCode).to.equal('ClientException');
    expect(apiError.message).to.equal('ECS DescribeThings failed: ClientException: Unable to describe task definition.');
    expect(apiError.cause).to.equal(original);
  });

  it('reports a listener call per request', async () => {
    const calls: string[] = [];
    const port = bindPort<ThingApi>('Thing', recordingClient(() => ({})), commands, methods, (s, o) => calls.push(`${s} ${o}`));
    await port.putThing({ id: 'a' });
    expect(calls).to.deep.equal(['Thing PutThing']);
  });
});

describe('aws: toAwsApiError', () => {
  it('uses the exception name as the AWS code', () => {
    const e = toAwsApiError('SecretsManager', 'GetSecretValue', new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    expect(isAwsError(e, 'ResourceNotFoundException')).to.equal(true);
    expect(isAwsError(e, 'ClientException')).to.equal(false);
  });

  it('falls back to the HTTP status when a service error has no message', () => {
    const raw = Object.assign(new Error(''), { name: 'Unknown', $metadata: { httpStatusCode: 500 } });
    const e = toAwsApiError('ECS', 'ListServiceDeployments', raw) as AwsApiError;
    expect(e.awsCode).to.equal('Unknown');
    expect(e.message).to.equal('ECS ListServiceDeployments failed: Unknown: HTTP 500');
  });

  it('uses Node error codes for connection failures and gives a hint', () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = toAwsApiError('ECS', 'DescribeServices', raw) as AwsApiError;
    expect(e.awsCode).to.equal('ECONNREFUSED');
    expect(e.hint).to.match(/AWS_ENDPOINT_URL/);
  });

  it('hints at credentials and region problems', () => {
    const creds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect((toAwsApiError('ECS', 'DescribeServices', creds) as AwsApiError).hint).to.match(/AWS_PROFILE/);
    const region = new Error('Region is missing');
    expect((toAwsApiError('ECS', 'DescribeServices', region) as AwsApiError).hint).to.match(/scheduler\.region/);
  });

  it('with a profile in use, the credentials hint is about that profile, not about setting AWS_PROFILE', () => {
    const creds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const hint = (toAwsApiError('ECS', 'DescribeServices', creds, { profile: 'staging' }) as AwsApiError).hint;
    expect(hint).to.equal('Profile "staging" gave no usable credentials: check it (aws configure list --profile staging), or log in (aws sso login --profile staging).');
  });

  it('passes hako errors and aborts through unchanged', () => {
    const hako = new HakoError('already mapped');
    expect(toAwsApiError('ECS', 'X', hako)).to.equal(hako);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toAwsApiError('ECS', 'X', abort)).to.equal(abort);
  });
});
