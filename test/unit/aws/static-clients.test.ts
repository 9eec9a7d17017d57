import { expect } from 'chai';
import { awsClientsFromPorts, MUTATION_REFUSED, readOnlyAwsClients } from '../../../lib/aws/static-clients.js';
import { ECS_MUTATING_METHODS, MUTATING_METHODS, type LogsApi } from '../../../lib/aws/ports.js';
import { HakoError } from '../../../lib/errors.js';

class FakeLogs implements LogsApi {
  calls: string[] = [];
  async describeLogGroups() {
    this.calls.push('describeLogGroups');
    return { logGroups: [{ logGroupName: 'g' }], $metadata: {} };
  }
  async getLogEvents() {
    this.calls.push('getLogEvents');
    return { events: [], $metadata: {} };
  }
  async createLogGroup() {
    this.calls.push('createLogGroup');
    return { $metadata: {} };
  }
  async putRetentionPolicy() {
    this.calls.push('putRetentionPolicy');
    return { $metadata: {} };
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('aws: awsClientsFromPorts', () => {
  it('answers the ports given and rejects the others by name', async () => {
    const logs = new FakeLogs();
    const clients = awsClientsFromPorts({ logs });
    expect(await clients.logs('us-east-1')).to.equal(logs);
    const err = await rejection(clients.ecs());
    expect(err).to.be.instanceOf(HakoError);
    expect((err as Error).message).to.contain('No ecs port');
  });
});

describe('aws: readOnlyAwsClients', () => {
  it('passes reads through (class methods included) and refuses every mutating method', async () => {
    const logs = new FakeLogs();
    const clients = readOnlyAwsClients(awsClientsFromPorts({ logs }));
    const port = await clients.logs();
    expect((await port.describeLogGroups({})).logGroups).to.have.length(1);
    for (const method of MUTATING_METHODS.logs) {
      const err = await rejection((port[method] as (i: object) => Promise<unknown>)({ logGroupName: 'g' }));
      expect((err as HakoError).code).to.equal(MUTATION_REFUSED);
    }
    expect(logs.calls).to.deep.equal(['describeLogGroups']);
  });

  it('lists mutating methods for every port', () => {
    expect(MUTATING_METHODS.ecs).to.equal(ECS_MUTATING_METHODS);
    expect(MUTATING_METHODS.elbv2).to.include('modifyTargetGroupAttributes');
    expect(MUTATING_METHODS.route53).to.deep.equal(['changeResourceRecordSets']);
    expect(MUTATING_METHODS.ssm).to.deep.equal([]);
  });
});
