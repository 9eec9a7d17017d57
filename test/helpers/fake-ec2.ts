/**
 * A stateful fake of the EC2 calls status makes: instances with tags, answered through DescribeInstances
 * filtered by `instance-id` (unknown ids are left out, as EC2 does for filters). Every call is recorded.
 */
import type { Ec2Api, ec2 } from '../../lib/aws/ports.js';

export class FakeEc2 implements Pick<Ec2Api, 'describeInstances'> {
  readonly calls: ec2.DescribeInstancesCommandInput[] = [];
  private readonly instances = new Map<string, ec2.Instance>();
  /** Instances per answer page, to exercise NextToken. */
  pageSize = 1000;

  /** Adds an instance, with a `Name` tag when `name` is given. */
  add(instanceId: string, name?: string): this {
    this.instances.set(instanceId, { InstanceId: instanceId, Tags: name === undefined ? [] : [{ Key: 'Name', Value: name }] });
    return this;
  }

  async describeInstances(input: ec2.DescribeInstancesCommandInput): Promise<ec2.DescribeInstancesCommandOutput> {
    this.calls.push(structuredClone(input));
    if (input.InstanceIds !== undefined) throw new Error('FakeEc2: status must filter by instance-id, not InstanceIds');
    const filter = input.Filters?.find((f) => f.Name === 'instance-id');
    const wanted = new Set(filter?.Values ?? []);
    const matching = [...this.instances.values()].filter((i) => filter === undefined || wanted.has(i.InstanceId ?? ''));
    const start = Number(input.NextToken ?? '0');
    const page = matching.slice(start, start + this.pageSize);
    const next = start + this.pageSize < matching.length ? String(start + this.pageSize) : undefined;
    return {
      $metadata: {},
      Reservations: page.map((i) => ({ Instances: [structuredClone(i)] })),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  }
}
