/**
 * What ECS would reject only at RegisterTaskDefinition — after the load balancer, DNS records and log groups were
 * already made — checked up front on the normalised model: names ECS accepts, environment variable names, and the
 * task definition's size. Pure; every problem is returned with its path and the rule.
 */
import path from 'node:path';
import type { AppModel, Container } from '../../definition/model.js';
import { formatPath } from '../../definition/schema/issues.js';
import type { DefinitionIssue } from '../../errors.js';
import { buildTaskDefinition } from './task-definition.js';

/** ECS family, service and container names: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens". */
const ECS_NAME_CHAR = /[A-Za-z0-9_-]/;
const ECS_NAME_MAX = 255;
/** The app id also names the `<id>-oneshot` family, which must fit the same 255 characters. */
export const APP_ID_MAX = ECS_NAME_MAX - '-oneshot'.length;
/** ECS's quota on a task definition: 64 KiB, measured on the request as it is sent. */
export const TASK_DEFINITION_MAX_BYTES = 64 * 1024;

/** Why `name` is not an ECS name, or undefined when it is one. */
function nameProblem(name: string, max: number): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > max) return `is ${name.length} characters; at most ${max}`;
  const bad = [...new Set([...name].filter((ch) => !ECS_NAME_CHAR.test(ch)))];
  if (bad.length > 0) return `contains ${bad.map((ch) => JSON.stringify(ch)).join(', ')}`;
  return undefined;
}

/** The file name's app id, as evaluate.ts derives it, to tell whether the model's id came from it. */
function idFromFileName(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

function checkAppId(model: AppModel): DefinitionIssue[] {
  const problem = nameProblem(model.id, APP_ID_MAX);
  if (problem === undefined) return [];
  const rule = `it names the ECS service and the task definition families "<id>" and "<id>-oneshot": 1–${APP_ID_MAX} letters, digits, "-" and "_"`;
  if (model.id === idFromFileName(model.file)) {
    return [
      {
        severity: 'error',
        file: model.file,
        message: `the app id "${model.id}" (the file name without its extension) ${problem}; ${rule}. Rename the file, or set app_id in the definition`,
      },
    ];
  }
  return [{ severity: 'error', path: 'app_id', message: `"${model.id}" ${problem}; ${rule}` }];
}

/** Where a container was defined: `app` or `sidecars.<name>`. */
function containerSegments(container: Container): string[] {
  return container.name === 'app' ? ['app'] : ['sidecars', container.name];
}

function containerPath(container: Container): string {
  return formatPath(containerSegments(container));
}

function checkContainer(container: Container): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const where = containerPath(container);
  const problem = nameProblem(container.name, ECS_NAME_MAX);
  if (problem !== undefined) {
    issues.push({
      severity: 'error',
      path: where,
      message: `container name "${container.name}" ${problem}; ECS container names are 1–${ECS_NAME_MAX} letters, digits, "-" and "_"`,
    });
  }
  const envNames = [
    ...container.env.map((e) => ({ name: e.name, path: formatPath([...containerSegments(container), 'env', e.name]) })),
    ...(container.secrets ?? []).map((s, i) => ({ name: s.name, path: `${where}.secrets[${i}].name` })),
  ];
  for (const { name, path: at } of envNames) {
    // ECS: "Environment variable name cannot be null or blank". Docker passes `NAME=value` strings: a name with
    // `=` (or NUL) would reach the container as another variable.
    if (name.trim() === '') issues.push({ severity: 'error', path: at, message: 'environment variable names must not be blank (ECS rejects them)' });
    else if (name.includes('=') || name.includes('\0')) {
      issues.push({ severity: 'error', path: at, message: `environment variable name ${JSON.stringify(name)} contains "=" or NUL: the container would see a different variable` });
    }
  }
  return issues;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function checkSize(model: AppModel): DefinitionIssue[] {
  const request = buildTaskDefinition(model, { family: model.id });
  const bytes = Buffer.byteLength(JSON.stringify(request), 'utf8');
  if (bytes <= TASK_DEFINITION_MAX_BYTES) return [];
  const parts = model.containers
    .map((c) => ({ where: containerPath(c), env: Buffer.byteLength(JSON.stringify(c.env), 'utf8'), all: Buffer.byteLength(JSON.stringify(c), 'utf8') }))
    .sort((a, b) => b.all - a.all)
    .slice(0, 3)
    .map((p) => `${p.where} ${kib(p.all)} (env ${kib(p.env)})`);
  return [
    {
      severity: 'error',
      message: `the task definition is ${kib(bytes)}; ECS accepts at most ${kib(TASK_DEFINITION_MAX_BYTES)}. Largest: ${parts.join(', ')}. Move large values to secrets (SSM, Secrets Manager) or files in the image`,
    },
  ];
}

/** Everything ECS would refuse in this model, each with its path (or file) and the rule. */
export function validateEcsModel(model: AppModel): DefinitionIssue[] {
  const nameIssues = [...checkAppId(model), ...model.containers.flatMap(checkContainer)];
  // A task definition with names ECS refuses is refused whatever its size; the size is worth reporting only then.
  return nameIssues.length > 0 ? nameIssues : checkSize(model);
}
