/**
 * The bad-input corpus (test/fixtures/invalid): realistic mistakes, each of which must fail evaluation,
 * normalisation or the ECS checks with an issue at the right path, before any AWS call. The CLI-level test reads
 * the same fixtures through expected.json.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { z } from 'zod';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { evaluateDefinition } from '../../../lib/definition/evaluate.js';
import { normaliseDefinition } from '../../../lib/definition/normalise.js';
import { DefinitionError, formatIssue } from '../../../lib/errors.js';
import { silentIoHost } from '../../../lib/io/io-host.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { validateEcsModel } from '../../../lib/schedulers/ecs/validate.js';
import { builtinScripts } from '../../../lib/scripts/registry.js';
import { fixture } from '../../helpers/paths.js';

const dir = fixture('invalid');

/** file → a substring that must appear among the formatted error issues (kept here so the test reads alone). */
const expectedPaths: Record<string, string> = {
  'memory-as-string.jsonnet': 'sidecars.front.memory',
  'env-number.jsonnet': 'app.env.PORT',
  'missing-scheduler-type.jsonnet': 'scheduler.type',
  'missing-app-image.jsonnet': 'app.image',
  'link-undefined.jsonnet': 'app.links[0]',
  'both-elb.jsonnet': 'scheduler.elb_v2',
  'bad-target-group-arn.jsonnet': 'scheduler.load_balancers[0].target_group_arn',
  'load-balancer-unknown-container.jsonnet': 'scheduler.load_balancers[0].container_name',
  'circuit-breaker-rollback.jsonnet': 'scheduler.deployment_configuration.deployment_circuit_breaker.rollback',
  'autoscaling-topic-without-group.jsonnet': 'scheduler.autoscaling_topic_for_oneshot',
  'awsvpc-host-port.jsonnet': 'app.port_mappings[0].host_port',
  'unknown-script-type.jsonnet': 'scripts[0].type',
  'nginx-front-missing-backend-port.jsonnet': 'scripts[0].backend_port',
  'nginx-front-bad-allow.jsonnet': 'scripts[0].locations["/"].allow_only_from[0]',
  'mount-undefined-volume.jsonnet': 'app.mount_points[0].source_volume',
  'depends-on-undefined.jsonnet': 'app.depends_on[0].container_name',
  'depends-on-bad-condition.jsonnet': 'app.depends_on[0].condition',
  'depends-on-cycle.jsonnet': 'sidecars.proxy.depends_on[0].container_name',
  'fargate-missing-task-size.jsonnet': 'scheduler.cpu',
  'fargate-memory-too-small.jsonnet': 'scheduler.memory',
  'fargate-cpu-unsupported.jsonnet': 'scheduler.cpu',
  'fargate-bridge-network.jsonnet': 'scheduler.network_mode',
  'volumes-from-undefined.jsonnet': 'app.volumes_from[0].source_container',
  'network-mode-typo.jsonnet': 'scheduler.network_mode',
  'port-out-of-range.jsonnet': 'app.port_mappings[0].container_port',
  'negative-desired-count.jsonnet': 'scheduler.desired_count',
  'cpu-fraction.jsonnet': 'app.cpu',
  'links-not-array.jsonnet': 'app.links',
  'command-string.jsonnet': 'app.command',
  'health-check-no-cmd.jsonnet': 'app.health_check.command[0]',
  'health-check-interval-too-low.jsonnet': 'app.health_check.interval',
  'autoscaling-missing-role.jsonnet': 'scheduler.autoscaling.role_arn',
  'autoscaling-step-missing-alarms.jsonnet': 'scheduler.autoscaling.policies[0].alarms',
  'autoscaling-bad-policy-type.jsonnet': 'scheduler.autoscaling.policies[0].policy_type',
  'service-discovery-no-records.jsonnet': 'scheduler.service_discovery[0].service.dns_config.dns_records',
  'elb-v2-without-front.jsonnet': 'scheduler.elb_v2.container_name',
  'elb-v2-https-without-certificate.jsonnet': 'scheduler.elb_v2.listeners[0].certificate_arn',
  'placement-typo.jsonnet': 'scheduler.placement_constraints[0].type',
  'launch-type-lowercase.jsonnet': 'scheduler.launch_type',
  'secrets-camel-case.jsonnet': 'app.secrets[0].value_from',
  'docker-label-number.jsonnet': 'app.docker_labels["com.example.revision"]',
  'sidecar-without-image.jsonnet': 'sidecars.redis.image_tag',
  'scheduler-type-unknown.jsonnet': 'scheduler.type',
  'memory-reservation-above-memory.jsonnet': 'app.memory_reservation',
  'env-empty-interpolation.jsonnet': 'app.env.MESSAGE',
  'ephemeral-storage-too-small.jsonnet': 'scheduler.ephemeral_storage.size_in_gi_b',
  'not-an-object.json': 'the definition must be an object',
  'volumes-as-array.json': 'volumes',
  'port-mapping-docker-style.json': 'app.port_mappings[0]',
  'env-yaml-boolean.yml': 'app.env.DEBUG',
  'yaml-memory-suffix.yml': 'app.memory',
  'yaml-tag-float.yml': 'app.tag',
  'yaml-listener-missing-protocol.yml': 'scheduler.elb_v2.listeners[0].protocol',
  'yaml-additional-containers-indent.yml': 'app.links[0]',
  'my app!.jsonnet': 'the app id "my app!"',
  'アプリ.jsonnet': 'the app id "アプリ"',
  'app-id-invalid.jsonnet': 'app_id',
  'container-name-invalid.jsonnet': 'sidecars["log router"]',
  'env-name-blank.jsonnet': 'app.env[" "]',
  'env-name-equals.jsonnet': 'app.env["FEATURE=on"]',
  'task-definition-too-large.jsonnet': 'the task definition is',
  'env-latin1.jsonnet': 'env-latin1.jsonnet:2:61',
  'env-latin1-import.jsonnet': 'app.env.GREETING',
  'env-latin1.yml': 'env-latin1.yml:10:18',
  'yaml-alias-bomb.yml': 'yaml-alias-bomb.yml:7:8',
};

const scriptSchemas = new Map<string, z.ZodType>(builtinScripts().map((p) => [p.type, p.configSchema as z.ZodType]));

/** Every error issue the definition gets from evaluation (as the CLI evaluates it), normalisation and the ECS checks. */
async function errorsOf(file: string): Promise<string[]> {
  try {
    const evaluated = await evaluateDefinition({
      file,
      providerMode: 'placeholder',
      providers: new ProviderRegistry(builtinProviders()),
      context: { rootPath: path.dirname(file), aws: () => awsClientsFromPorts({}), io: silentIoHost, env: {} },
    });
    const { model } = normaliseDefinition(evaluated, { scriptSchemas });
    return validateEcsModel(model).filter((i) => i.severity === 'error').map(formatIssue);
  } catch (e) {
    if (e instanceof DefinitionError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
}

describe('bad-input corpus (test/fixtures/invalid)', () => {
  it('has at least 30 definitions, each listed here and in expected.json', async () => {
    const files = (await readdir(dir)).filter((f) => /\.(jsonnet|json|yml)$/.test(f) && f !== 'expected.json');
    const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, string>;
    expect(files.length).to.be.at.least(30);
    expect(Object.keys(expectedPaths).sort()).to.deep.equal([...files].sort());
    expect(Object.keys(expected).sort()).to.deep.equal([...files].sort());
  });

  for (const [name, expectedPath] of Object.entries(expectedPaths)) {
    it(`${name}: fails at ${expectedPath}`, async () => {
      const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, string>;
      const errors = await errorsOf(path.join(dir, name));
      expect(errors, 'the definition must not normalise').to.not.be.empty;
      expect(errors.some((e) => e.includes(expectedPath)), errors.join('\n')).to.equal(true);
      // expected.json holds the fuller text the CLI test looks for in the error output.
      expect(errors.some((e) => e.includes(expected[name] as string)), errors.join('\n')).to.equal(true);
    });
  }
});
