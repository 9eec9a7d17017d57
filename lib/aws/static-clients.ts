/**
 * AwsClients built from ports someone already has: hand-written fakes in tests, or a programmatic caller's own
 * implementations. Also a read-only view that refuses mutating calls, a second line of defence for dry runs
 * (the first being that a dry run never reaches the apply phase).
 */
import { HakoError } from '../errors.js';
import { MUTATING_METHODS, type AwsClients, type AwsPorts } from './ports.js';

/** Code of the error thrown when a read-only client is asked to mutate. */
export const MUTATION_REFUSED = 'AWS_MUTATION_REFUSED';

/**
 * Wraps the given ports as `AwsClients`. A getter whose port was not given rejects with an error naming it, so a
 * test that unexpectedly reaches another service fails loudly. `region` arguments are ignored.
 */
export function awsClientsFromPorts(ports: Partial<AwsPorts>): AwsClients {
  function get<K extends keyof AwsPorts>(key: K): Promise<AwsPorts[K]> {
    const port = ports[key];
    return port === undefined
      ? Promise.reject(new HakoError(`No ${key} port was given to awsClientsFromPorts`, 'AWS_PORT_MISSING'))
      : Promise.resolve(port as AwsPorts[K]);
  }
  return {
    ecs: () => get('ecs'),
    elbv2: () => get('elbv2'),
    elb: () => get('elb'),
    route53: () => get('route53'),
    s3: () => get('s3'),
    logs: () => get('logs'),
    ec2: () => get('ec2'),
    ssm: () => get('ssm'),
    secretsManager: () => get('secretsManager'),
    applicationAutoScaling: () => get('applicationAutoScaling'),
    cloudWatch: () => get('cloudWatch'),
    serviceDiscovery: () => get('serviceDiscovery'),
    codeDeploy: () => get('codeDeploy'),
    iam: () => get('iam'),
    ecr: () => get('ecr'),
  };
}

/** A port whose mutating methods reject with `MUTATION_REFUSED` instead of calling AWS. */
export function readOnlyPort<K extends keyof AwsPorts>(key: K, port: AwsPorts[K]): AwsPorts[K] {
  const mutating = new Set<PropertyKey>(MUTATING_METHODS[key] as readonly PropertyKey[]);
  return new Proxy(port as object, {
    get(target, prop, receiver) {
      if (mutating.has(prop)) {
        return () =>
          Promise.reject(
            new HakoError(`Refusing to call ${key}.${String(prop)}: this run must not change AWS`, MUTATION_REFUSED),
          );
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as AwsPorts[K];
}

/** Every port of `clients`, with mutating methods refused. */
export function readOnlyAwsClients(clients: AwsClients): AwsClients {
  return {
    ecs: async (region) => readOnlyPort('ecs', await clients.ecs(region)),
    elbv2: async (region) => readOnlyPort('elbv2', await clients.elbv2(region)),
    elb: async (region) => readOnlyPort('elb', await clients.elb(region)),
    route53: async () => readOnlyPort('route53', await clients.route53()),
    s3: async (region) => readOnlyPort('s3', await clients.s3(region)),
    logs: async (region) => readOnlyPort('logs', await clients.logs(region)),
    ec2: async (region) => readOnlyPort('ec2', await clients.ec2(region)),
    ssm: async (region) => readOnlyPort('ssm', await clients.ssm(region)),
    secretsManager: async (region) => readOnlyPort('secretsManager', await clients.secretsManager(region)),
    applicationAutoScaling: async (region) => readOnlyPort('applicationAutoScaling', await clients.applicationAutoScaling(region)),
    cloudWatch: async (region) => readOnlyPort('cloudWatch', await clients.cloudWatch(region)),
    serviceDiscovery: async (region) => readOnlyPort('serviceDiscovery', await clients.serviceDiscovery(region)),
    codeDeploy: async (region) => readOnlyPort('codeDeploy', await clients.codeDeploy(region)),
    iam: async () => readOnlyPort('iam', await clients.iam()),
    ecr: async (region) => readOnlyPort('ecr', await clients.ecr(region)),
  };
}
