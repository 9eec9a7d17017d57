import { expect } from 'chai';
import { fargateMemoryValues, parseTaskSize, targetsFargate } from '../../../lib/definition/schema/fargate.js';
import { issuesOf, minimal } from './schema-helpers.js';

/** A valid Fargate definition with `extra` merged into its scheduler (undefined deletes a key). */
function fargate(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = minimal();
  const scheduler = raw['scheduler'] as Record<string, unknown>;
  Object.assign(scheduler, { requires_compatibilities: ['FARGATE'], network_mode: 'awsvpc', cpu: '256', memory: '512' }, extra);
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete scheduler[k];
  return raw;
}

describe('definition cross-checks: Fargate', () => {
  describe('task sizes (AWS table)', () => {
    it('lists the memory values of each cpu', () => {
      expect(fargateMemoryValues(256)).to.deep.equal([512, 1024, 2048]);
      expect(fargateMemoryValues(512)).to.deep.equal([1024, 2048, 3072, 4096]);
      expect(fargateMemoryValues(1024)).to.deep.equal([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
      const cpu2 = fargateMemoryValues(2048);
      expect([cpu2.length, cpu2[0], cpu2.at(-1)]).to.deep.equal([13, 4096, 16384]);
      const cpu4 = fargateMemoryValues(4096);
      expect([cpu4.length, cpu4[0], cpu4.at(-1)]).to.deep.equal([23, 8192, 30720]);
      const cpu8 = fargateMemoryValues(8192);
      expect([cpu8.length, cpu8[1]! - cpu8[0]!, cpu8[0], cpu8.at(-1)]).to.deep.equal([12, 4096, 16384, 61440]);
      const cpu16 = fargateMemoryValues(16384);
      expect([cpu16.length, cpu16[1]! - cpu16[0]!, cpu16[0], cpu16.at(-1)]).to.deep.equal([12, 8192, 32768, 122880]);
      expect(fargateMemoryValues(768)).to.deep.equal([]);
    });

    it('reads the forms ECS accepts: integers, N vCPU, N GB', () => {
      expect(parseTaskSize('1024', 'vCPU')).to.equal(1024);
      expect(parseTaskSize(2048, 'vCPU')).to.equal(2048);
      expect(parseTaskSize('1 vCPU', 'vCPU')).to.equal(1024);
      expect(parseTaskSize('.25 vcpu', 'vCPU')).to.equal(256);
      expect(parseTaskSize('0.5vCPU', 'vCPU')).to.equal(512);
      expect(parseTaskSize('2 GB', 'GB')).to.equal(2048);
      expect(parseTaskSize('0.5GB', 'GB')).to.equal(512);
      expect(parseTaskSize('2 GB', 'vCPU')).to.equal(undefined);
      expect(parseTaskSize('1 vCPU', 'GB')).to.equal(undefined);
      expect(parseTaskSize('one', 'vCPU')).to.equal(undefined);
      expect(parseTaskSize('0.1 GB', 'GB')).to.equal(undefined);
      expect(parseTaskSize('1.5', 'GB')).to.equal(undefined);
    });

    it('accepts every documented pair, in any of the accepted forms', () => {
      expect(issuesOf(fargate()).errors).to.deep.equal([]);
      expect(issuesOf(fargate({ cpu: '.25 vCPU', memory: '0.5 GB' })).errors).to.deep.equal([]);
      expect(issuesOf(fargate({ cpu: 4096, memory: '30 GB' })).errors).to.deep.equal([]);
      expect(issuesOf(fargate({ cpu: '16 vCPU', memory: '120GB' })).errors).to.deep.equal([]);
    });

    it('requires cpu and memory on Fargate', () => {
      expect(issuesOf(fargate({ cpu: undefined, memory: undefined })).errors).to.deep.equal([
        "scheduler.cpu: required on Fargate: one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units ('1024' or '1 vCPU')",
        'scheduler.memory: required on Fargate',
      ]);
      expect(issuesOf(fargate({ cpu: '2 vCPU', memory: undefined })).errors).to.deep.equal([
        'scheduler.memory: required on Fargate (with cpu 2048: 4096–16384 in steps of 1024 MiB)',
      ]);
    });

    it('names the memory values the given cpu accepts', () => {
      expect(issuesOf(fargate({ cpu: '256', memory: '1536' })).errors).to.deep.equal([
        'scheduler.memory: with cpu 256 Fargate accepts 512, 1024, 2048 MiB, got "1536"',
      ]);
      expect(issuesOf(fargate({ cpu: '8 vCPU', memory: '18 GB' })).errors).to.deep.equal([
        'scheduler.memory: with cpu 8192 Fargate accepts 16384–61440 in steps of 4096 MiB, got "18 GB" (18432 MiB)',
      ]);
    });

    it('rejects an unsupported or unreadable cpu, and an unreadable memory', () => {
      expect(issuesOf(fargate({ cpu: '3 vCPU', memory: '6144' })).errors).to.deep.equal([
        'scheduler.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units on Fargate, got "3 vCPU"',
      ]);
      expect(issuesOf(fargate({ cpu: '1 core', memory: '512 MiB' })).errors).to.deep.equal([
        'scheduler.cpu: expected CPU units (\'1024\') or vCPUs (\'1 vCPU\'), got "1 core"',
        'scheduler.memory: expected MiB (\'2048\') or GB (\'2 GB\'), got "512 MiB"',
      ]);
    });

    it('leaves a value of the wrong type to the schema (one error)', () => {
      const { errors } = issuesOf(fargate({ cpu: 0.5 }));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^scheduler\.cpu: /).and.not.include('Fargate');
    });

    it('checks nothing when the task does not target Fargate', () => {
      const ec2 = fargate({ requires_compatibilities: ['EC2'], cpu: '300', memory: undefined, network_mode: 'bridge' });
      expect(issuesOf(ec2).errors).to.deep.equal([]);
    });
  });

  describe('what targets Fargate', () => {
    it('requires_compatibilities, launch_type or a Fargate capacity provider', () => {
      expect(targetsFargate({ requires_compatibilities: ['EC2', 'FARGATE'] })).to.equal(true);
      expect(targetsFargate({ launch_type: 'FARGATE' })).to.equal(true);
      expect(targetsFargate({ capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1 }] })).to.equal(true);
      expect(targetsFargate({ requires_compatibilities: ['EC2'], launch_type: 'EC2' })).to.equal(false);
      expect(targetsFargate({ capacity_provider_strategy: [{ capacity_provider: 'my-asg' }] })).to.equal(false);
    });

    it('applies the checks for launch_type FARGATE alone', () => {
      const raw = fargate({ requires_compatibilities: undefined, launch_type: 'FARGATE', cpu: '512', memory: '512' });
      expect(issuesOf(raw).errors).to.deep.equal(['scheduler.memory: with cpu 512 Fargate accepts 1024, 2048, 3072, 4096 MiB, got "512"']);
    });
  });

  describe('network mode', () => {
    it('requires awsvpc on Fargate', () => {
      expect(issuesOf(fargate({ network_mode: undefined })).errors).to.deep.equal([
        'scheduler.network_mode: required on Fargate: must be "awsvpc"',
      ]);
      expect(issuesOf(fargate({ network_mode: 'bridge' })).errors).to.deep.equal([
        'scheduler.network_mode: must be "awsvpc" on Fargate, got "bridge"',
      ]);
    });

    it('does not double-report a mode the schema already rejects', () => {
      const { errors } = issuesOf(fargate({ network_mode: 'awsvcp' }));
      expect(errors).to.deep.equal(['scheduler.network_mode: expected one of "bridge", "host", "awsvpc", "none", got "awsvcp"']);
    });

    it('requires host_port to equal container_port on Fargate (awsvpc)', () => {
      const raw = fargate();
      Object.assign(raw['app'] as object, { port_mappings: [{ container_port: 3000, host_port: 0 }] });
      expect(issuesOf(raw).errors).to.deep.equal([
        'app.port_mappings[0].host_port: must equal container_port (3000) when network_mode is awsvpc, got number 0',
      ]);
    });
  });
});
