/**
 * One error tree for everything hako reports. Errors are rendered once, at lib/cli/main; code below never prints
 * them. `exitCode` is what the process ends with; `hint` is a sentence telling the user what to do next.
 */
export interface HakoErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The class names an error was constructed as (`['DefinitionError', 'HakoError']`), under a registry symbol so that
 * `instanceof` works across copies of this module: the CLI bundle, the package's `hako` entry that plugins import,
 * or two installed versions. A plugin's `throw new HakoError(...)` must read as a HakoError, not an internal error.
 */
const ERROR_CLASSES = Symbol.for('hako.errorClasses');

export class HakoError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;
  readonly [ERROR_CLASSES]: readonly string[];

  constructor(message: string, code = 'HAKO_ERROR', exitCode = 1, options: HakoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    if (options.hint !== undefined) this.hint = options.hint;
    const classes: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) classes.push((c as { name: string }).name);
    this[ERROR_CLASSES] = classes;
  }

  /** Brand check by class name (see ERROR_CLASSES); `this` is the class on the right of `instanceof`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const classes = (value as { [ERROR_CLASSES]?: unknown })[ERROR_CLASSES];
    return Array.isArray(classes) && classes.includes(this.name);
  }
}

/** Wrong command-line usage: unknown flag, bad flag value, missing argument. Exit code 2. */
export class UsageError extends HakoError {
  constructor(message: string, options: HakoErrorOptions = {}) {
    super(message, 'USAGE', 2, options);
  }
}

/**
 * One problem in a definition. `path` is a JSON path (`sidecars.front.memory`) for schema problems; for syntax
 * problems `line`/`column` locate it in `file` (which may be an imported/included file, not the top one).
 */
export interface DefinitionIssue {
  readonly message: string;
  readonly path?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity: 'error' | 'warning';
}

/** Formats an issue as `file:line:column: message` or `path: message`. */
export function formatIssue(issue: DefinitionIssue): string {
  if (issue.line !== undefined) {
    const where = [issue.file, issue.line, issue.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${issue.message}`;
  }
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** The definition cannot be evaluated or does not validate. Carries every issue found, not only the first. */
export class DefinitionError extends HakoError {
  readonly file: string;
  readonly issues: readonly DefinitionIssue[];

  constructor(file: string, issues: readonly DefinitionIssue[], options: HakoErrorOptions & { summary?: string } = {}) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    const summary =
      options.summary ??
      (issues.length === 1 ? `Invalid definition ${file}` : `Invalid definition ${file} (${errors} ${errors === 1 ? 'problem' : 'problems'})`);
    super(summary, 'DEFINITION', 1, options);
    this.file = file;
    this.issues = issues;
  }
}

/** A plugin (script, scheduler or env provider) could not be loaded, has the wrong shape, or threw. */
export class PluginError extends HakoError {
  readonly plugin: string;
  constructor(plugin: string, message: string, options: HakoErrorOptions = {}) {
    super(message, 'PLUGIN', 1, options);
    this.plugin = plugin;
  }
}

/** An env provider failed to answer (missing file, unknown key, unreachable parameter store). */
export class ProviderError extends HakoError {
  readonly provider: string;
  constructor(provider: string, message: string, options: HakoErrorOptions = {}) {
    super(message, 'PROVIDER', 1, options);
    this.provider = provider;
  }
}

/** An AWS API call failed. Names the service, the operation and AWS's own error code. */
export class AwsApiError extends HakoError {
  readonly service: string;
  readonly operation: string;
  readonly awsCode: string;
  /** `options.summary` replaces the usual `<service> <operation> failed: <code>: <message>` line. */
  constructor(service: string, operation: string, awsCode: string, message: string, options: HakoErrorOptions & { summary?: string } = {}) {
    super(options.summary ?? `${service} ${operation} failed: ${awsCode}: ${message}`, 'AWS_API', 1, options);
    this.service = service;
    this.operation = operation;
    this.awsCode = awsCode;
  }
}

/** What a failed Kubernetes call was about: the object's kind, name and namespace, when it had them. */
export interface KubeTarget {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * A Kubernetes API call failed. `status` is the HTTP status (0 when no answer came: connection refused, TLS, no
 * kubeconfig); `reason` is the API's own `Status.reason` (`NotFound`, `Conflict`, `Invalid`, `Forbidden`, ...), or
 * Node's error code when there was no answer.
 */
export class KubeApiError extends HakoError {
  readonly operation: string;
  readonly status: number;
  readonly reason: string;
  /** The object the call was about (`err.name` is the error class's name, as for every Error). */
  readonly target: KubeTarget;
  constructor(operation: string, status: number, reason: string, message: string, target: KubeTarget = {}, options: HakoErrorOptions = {}) {
    const object = target.kind === undefined ? '' : ` ${target.kind}${target.name === undefined ? '' : `/${target.name}`}`;
    const where = target.namespace === undefined ? '' : ` in namespace ${target.namespace}`;
    const answer = status === 0 ? reason : `${status} ${reason}`;
    super(`Kubernetes ${operation}${object}${where} failed: ${answer}: ${message}`, 'KUBE_API', 1, options);
    this.operation = operation;
    this.status = status;
    this.reason = reason;
    this.target = target;
  }
}

export type DeploymentFailure = 'failed' | 'timed-out' | 'rolled-back';

/** A rollout did not complete. `failure` says whether it failed, timed out, or failed and was rolled back. */
export class DeploymentError extends HakoError {
  readonly failure: DeploymentFailure;
  constructor(failure: DeploymentFailure, message: string, options: HakoErrorOptions = {}) {
    super(message, 'DEPLOYMENT', 1, options);
    this.failure = failure;
  }
}

/** A resource that exists more than once where there must be one: what it is, and every copy's ARN. */
export interface DuplicateResource {
  /** For humans: `load balancer hako-web`, `listener hako-web:80`. */
  readonly resource: string;
  readonly arns: readonly string[];
}

/**
 * Something hako manages exists more than once under one identity (a load balancer name, a listener port): left by
 * an emulator that does not refuse duplicates, or by an earlier run that crashed or ran concurrently. hako stops
 * instead of picking one and adding to the mess; the message names every copy, so the user can delete the extras.
 */
export class DuplicateResourcesError extends HakoError {
  readonly duplicates: readonly DuplicateResource[];
  constructor(summary: string, duplicates: readonly DuplicateResource[], options: HakoErrorOptions = {}) {
    const lines = duplicates.map((d) => `  ${d.resource}: ${d.arns.join(', ')}`);
    super([`${summary}:`, ...lines].join('\n'), 'DUPLICATE_RESOURCES', 1, options);
    this.duplicates = duplicates;
  }
}

/** The user interrupted the run (SIGINT/SIGTERM). */
export class AbortedError extends HakoError {
  constructor(message = 'Aborted', exitCode = 130, options: HakoErrorOptions = {}) {
    super(message, 'ABORTED', exitCode, options);
  }
}

export function isHakoError(e: unknown): e is HakoError {
  return e instanceof HakoError;
}
