/**
 * A hand-written in-memory Cloud Map for service discovery tests: namespaces and services kept in maps, every call
 * recorded. ListServices ignores its filter (as moto does) so the code under test must confirm the namespace.
 */
import type { ServiceDiscoveryApi, serviceDiscovery } from '../../../../lib/aws/ports.js';
import { awsError } from '../../../helpers/aws-errors.js';

export interface SdCall {
  readonly method: keyof ServiceDiscoveryApi;
  readonly input: unknown;
}

export class FakeServiceDiscovery implements ServiceDiscoveryApi {
  readonly calls: SdCall[] = [];
  readonly namespaces = new Map<string, serviceDiscovery.Namespace>();
  readonly services = new Map<string, serviceDiscovery.Service>();
  /** Statuses GetOperation answers in turn (the last one repeats). */
  operationStatuses: serviceDiscovery.OperationStatus[] = ['SUCCESS'];
  /** DeleteService throws ResourceInUse this many times first. */
  deleteInUse = 0;
  private seq = 0;
  private polls = 0;

  addNamespace(id: string, name: string, type: serviceDiscovery.NamespaceType = 'DNS_PRIVATE'): void {
    this.namespaces.set(id, { Id: id, Name: name, Type: type });
  }

  addService(s: Omit<serviceDiscovery.Service, 'Id' | 'Arn'> & { Id?: string }): serviceDiscovery.Service {
    const id = s.Id ?? `srv-${++this.seq}`;
    const service = { ...s, Id: id, Arn: `arn:aws:servicediscovery:ap-northeast-1:012345678901:service/${id}` };
    this.services.set(id, service);
    return service;
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  count(method: keyof ServiceDiscoveryApi): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  inputs(method: keyof ServiceDiscoveryApi): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }

  private record(method: keyof ServiceDiscoveryApi, input: unknown): void {
    this.calls.push({ method, input });
  }

  async getNamespace(input: serviceDiscovery.GetNamespaceCommandInput) {
    this.record('getNamespace', input);
    const ns = this.namespaces.get(input.Id ?? '');
    if (!ns) throw awsError('NamespaceNotFound');
    return { $metadata: {}, Namespace: ns };
  }

  async listServices(input: serviceDiscovery.ListServicesCommandInput) {
    this.record('listServices', input);
    const summaries = [...this.services.values()].map((s) => ({ Id: s.Id, Arn: s.Arn, Name: s.Name }));
    return { $metadata: {}, Services: summaries };
  }

  async getService(input: serviceDiscovery.GetServiceCommandInput) {
    this.record('getService', input);
    const s = this.services.get(input.Id ?? '');
    if (!s) throw awsError('ServiceNotFound');
    return { $metadata: {}, Service: s };
  }

  async getOperation(input: serviceDiscovery.GetOperationCommandInput) {
    this.record('getOperation', input);
    const i = Math.min(this.polls++, this.operationStatuses.length - 1);
    const status = this.operationStatuses[i];
    return {
      $metadata: {},
      Operation: { Id: input.OperationId, Status: status, ...(status === 'FAIL' ? { ErrorCode: 'E', ErrorMessage: 'broken' } : {}) },
    };
  }

  async listInstances(input: serviceDiscovery.ListInstancesCommandInput) {
    this.record('listInstances', input);
    return { $metadata: {}, Instances: [{ Id: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } }] };
  }

  async createService(input: serviceDiscovery.CreateServiceCommandInput) {
    this.record('createService', input);
    const { Name, NamespaceId, Description, DnsConfig, HealthCheckCustomConfig } = input;
    const service = this.addService({ Name, NamespaceId, Description, DnsConfig, HealthCheckCustomConfig });
    return { $metadata: {}, Service: service };
  }

  async updateService(input: serviceDiscovery.UpdateServiceCommandInput) {
    this.record('updateService', input);
    const s = this.services.get(input.Id ?? '');
    if (!s) throw awsError('ServiceNotFound');
    this.services.set(s.Id!, {
      ...s,
      Description: input.Service?.Description,
      DnsConfig: { ...s.DnsConfig, DnsRecords: input.Service?.DnsConfig?.DnsRecords },
    });
    return { $metadata: {}, OperationId: 'op-1' };
  }

  async deleteService(input: serviceDiscovery.DeleteServiceCommandInput) {
    this.record('deleteService', input);
    if (this.deleteInUse > 0) {
      this.deleteInUse--;
      throw awsError('ResourceInUse', 'instances are still registered');
    }
    if (!this.services.delete(input.Id ?? '')) throw awsError('ServiceNotFound');
    return { $metadata: {} };
  }
}
