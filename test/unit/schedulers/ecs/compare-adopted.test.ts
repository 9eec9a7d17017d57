/**
 * Comparing with revisions hako did not register (adopted with `hako init`): hako's version label and host ports
 * ECS fills in are not differences.
 */
import { expect } from 'chai';
import { compareTaskDefinition } from '../../../../lib/schedulers/ecs/compare.js';
import { buildTaskDefinition } from '../../../../lib/schedulers/ecs/task-definition.js';
import { HAKO_VERSION } from '../../../../lib/version.js';
import { container, ecsModel, liveTaskDefinition, scheduler } from './core-fixtures.js';

describe('ecs compare: revisions registered by other tools', () => {
  const desired = buildTaskDefinition(ecsModel(), { family: 'ecs' });

  it('a live container without hako\'s label at all is not different for lacking it', () => {
    const live = liveTaskDefinition(HAKO_VERSION, { dockerLabels: {} });
    expect(compareTaskDefinition(desired, live, [])).to.deep.equal({ changed: false, reasons: [] });
  });

  it('other label differences still count', () => {
    const live = liveTaskDefinition(HAKO_VERSION, { dockerLabels: { team: 'x' } });
    expect(compareTaskDefinition(desired, live, []).reasons).to.deep.equal(['containers.app.docker_labels: removed']);
  });

  it('an absent host port is the container port under awsvpc and 0 under bridge, as ECS reads it', () => {
    const awsvpc = buildTaskDefinition(
      ecsModel({ scheduler: scheduler({ network_mode: 'awsvpc' }), containers: [container({ port_mappings: [{ container_port: 80, protocol: 'tcp' }] })] }),
      { family: 'ecs' },
    );
    const liveAwsvpc = { ...liveTaskDefinition(HAKO_VERSION, { portMappings: [{ containerPort: 80, protocol: 'tcp' }] }), networkMode: 'awsvpc' as const };
    expect(compareTaskDefinition(awsvpc, liveAwsvpc, []).changed).to.equal(false);
    const bridge = buildTaskDefinition(ecsModel({ containers: [container({ port_mappings: [{ container_port: 80, protocol: 'tcp' }] })] }), { family: 'ecs' });
    expect(compareTaskDefinition(bridge, liveTaskDefinition(HAKO_VERSION, { portMappings: [{ containerPort: 80, protocol: 'tcp' }] }), []).changed).to.equal(false);
    expect(compareTaskDefinition(bridge, liveTaskDefinition(HAKO_VERSION, { portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }] }), []).changed).to.equal(true);
  });
});
