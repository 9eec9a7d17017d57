/**
 * What Fargate demands of a task definition that ECS would otherwise reject only at RegisterTaskDefinition (or at
 * RunTask): a supported task cpu/memory pair and the awsvpc network mode. Sizes from AWS's "Troubleshoot Amazon
 * ECS task definition invalid CPU or memory errors" table.
 */
import type { DefinitionIssue } from '../../errors.js';
import { describeValue, error } from './issues.js';

type Obj = Readonly<Record<string, unknown>>;

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let m = from; m <= to; m += step) values.push(m);
  return values;
}

/** Task CPU units → the memory values (MiB) Fargate accepts with it. */
const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** The memory values (MiB) Fargate accepts with `cpu` CPU units; empty for an unsupported cpu. */
export function fargateMemoryValues(cpu: number): readonly number[] {
  return FARGATE_SIZES.get(cpu) ?? [];
}

/** `512, 1024, 2048` for a short list; `4096–16384 in steps of 1024` for a long (evenly spaced) one. */
function describeMemoryValues(cpu: number): string {
  const values = fargateMemoryValues(cpu);
  const [first, second] = values;
  if (values.length <= 7 || first === undefined || second === undefined) return values.join(', ');
  return `${first}–${values[values.length - 1] ?? first} in steps of ${second - first}`;
}

/**
 * A task size as ECS reads it: a whole number, or a (possibly fractional) number followed by `unit` (`1 vCPU`,
 * `0.5 GB`, case-insensitive), scaled by 1024. undefined when it is neither or does not come to a whole number.
 */
export function parseTaskSize(value: string | number, unit: 'vCPU' | 'GB'): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const suffix = (match[2] ?? '').toLowerCase();
  let result: number;
  if (suffix === '') result = amount;
  else if (suffix === unit.toLowerCase()) result = amount * 1024;
  else return undefined;
  return Number.isInteger(result) && result > 0 ? result : undefined;
}

/** Whether the scheduler runs (or may run) its tasks on Fargate. */
export function targetsFargate(scheduler: Obj): boolean {
  const compat = scheduler['requires_compatibilities'];
  if (Array.isArray(compat) && compat.includes('FARGATE')) return true;
  if (scheduler['launch_type'] === 'FARGATE') return true;
  const strategy = scheduler['capacity_provider_strategy'];
  return (
    Array.isArray(strategy) &&
    strategy.some((s: unknown) => {
      const provider = typeof s === 'object' && s !== null ? (s as Obj)['capacity_provider'] : undefined;
      return provider === 'FARGATE' || provider === 'FARGATE_SPOT';
    })
  );
}

/** A value the schema accepts as a task size; anything else is the schema's to report. */
function taskSizeValue(value: unknown): string | number | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return undefined;
}

const CPU_CHOICES = [...FARGATE_SIZES.keys()].join(', ');

function checkTaskSize(scheduler: Obj, out: DefinitionIssue[]): void {
  const rawCpu = scheduler['cpu'];
  const rawMemory = scheduler['memory'];
  const cpuValue = taskSizeValue(rawCpu);
  const memoryValue = taskSizeValue(rawMemory);
  let cpu: number | undefined;
  if (rawCpu === undefined || rawCpu === null) {
    out.push(error('scheduler.cpu', `required on Fargate: one of ${CPU_CHOICES} CPU units ('1024' or '1 vCPU')`));
  } else if (cpuValue !== undefined) {
    const units = parseTaskSize(cpuValue, 'vCPU');
    if (units === undefined) {
      out.push(error('scheduler.cpu', `expected CPU units ('1024') or vCPUs ('1 vCPU'), got ${describeValue(cpuValue)}`));
    } else if (!FARGATE_SIZES.has(units)) {
      out.push(error('scheduler.cpu', `must be one of ${CPU_CHOICES} CPU units on Fargate, got ${describeValue(cpuValue)}`));
    } else {
      cpu = units;
    }
  }
  const choices = cpu === undefined ? '' : ` (with cpu ${cpu}: ${describeMemoryValues(cpu)} MiB)`;
  if (rawMemory === undefined || rawMemory === null) {
    out.push(error('scheduler.memory', `required on Fargate${choices}`));
    return;
  }
  if (memoryValue === undefined) return;
  const mib = parseTaskSize(memoryValue, 'GB');
  if (mib === undefined) {
    out.push(error('scheduler.memory', `expected MiB ('2048') or GB ('2 GB'), got ${describeValue(memoryValue)}`));
  } else if (cpu !== undefined && !fargateMemoryValues(cpu).includes(mib)) {
    const shown = typeof memoryValue === 'string' && String(mib) !== memoryValue.trim() ? ` (${mib} MiB)` : '';
    out.push(
      error(
        'scheduler.memory',
        `with cpu ${cpu} Fargate accepts ${describeMemoryValues(cpu)} MiB, got ${describeValue(memoryValue)}${shown}`,
      ),
    );
  }
}

function checkNetworkMode(scheduler: Obj, out: DefinitionIssue[]): void {
  const mode = scheduler['network_mode'];
  if (mode === undefined || mode === null) {
    out.push(error('scheduler.network_mode', 'required on Fargate: must be "awsvpc"'));
  } else if (mode === 'bridge' || mode === 'host' || mode === 'none') {
    // Other values are not network modes at all: the schema reports those.
    out.push(error('scheduler.network_mode', `must be "awsvpc" on Fargate, got ${describeValue(mode)}`));
  }
}

/** Fargate's requirements on an `ecs` scheduler; nothing when it does not target Fargate. */
export function checkFargate(scheduler: Obj): DefinitionIssue[] {
  if (!targetsFargate(scheduler)) return [];
  const out: DefinitionIssue[] = [];
  checkTaskSize(scheduler, out);
  checkNetworkMode(scheduler, out);
  return out;
}
