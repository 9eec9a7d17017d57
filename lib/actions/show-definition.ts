import { lazyAwsFor, type AwsFor } from '../aws/lazy-clients.js';
import type { AnyAppModel } from '../definition/model.js';
import { UsageError } from '../errors.js';
import type { IoHost } from '../io/io-host.js';
import { dockerCommands } from '../render/docker-run.js';
import { evaluateSource, loadApp, type DefinitionSource } from './load-app.js';

export interface ShowDefinitionOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients (for `--expand` of ssm/secretsmanager providers); default: the CLI's factory, as for deploy. */
  readonly awsFor?: AwsFor;
  /** Resolve provider values (secrets!) instead of printing `${NAME}` placeholders. */
  readonly expand: boolean;
  /** Print the evaluated definition before normalisation, as hako's show-definition did. */
  readonly raw: boolean;
  /** `docker`: the `docker volume create` / `docker run` lines that run the app locally (hako's dry-run lines). */
  readonly format: 'json' | 'yaml' | 'docker';
  readonly tag?: string;
}

/** What `show-definition` prints of the model: everything but machine-specific paths. */
export function printableModel(model: AnyAppModel): Record<string, unknown> {
  const { file: _file, root_path: _root, ...rest } = model;
  return rest;
}

export async function formatDocument(value: unknown, format: 'json' | 'yaml'): Promise<string> {
  // The YAML writer is loaded for --format yaml only.
  return format === 'yaml' ? (await import('../render/yaml.js')).toYaml(value) : JSON.stringify(value, null, 2) + '\n';
}

/** What `show-definition` prints, as text and as the value it renders (for a document of many definitions). */
export interface DefinitionDocument {
  readonly text: string;
  /** The model (or, with `raw`, the evaluated definition); for `docker`, the command lines. */
  readonly value: unknown;
}

/**
 * evaluate → normalise → print. Without `expand` no provider is created (placeholders stay), so secrets cannot
 * print by accident; the whole definition is still validated, so this doubles as a linter.
 */
export async function showDefinition(given: ShowDefinitionOptions): Promise<void> {
  given.io.result((await definitionDocument(given)).text);
}

/** What `showDefinition` prints, without printing it. */
export async function definitionDocument(given: ShowDefinitionOptions): Promise<DefinitionDocument> {
  const options = { ...given, aws: (given.awsFor ?? lazyAwsFor({ io: given.io }))(undefined) };
  if (options.raw && options.format === 'docker') {
    throw new UsageError('--raw prints the evaluated definition; --format docker needs the validated model', { hint: 'Drop --raw.' });
  }
  if (options.raw) {
    const format = options.format as 'json' | 'yaml';
    // hako's show-definition: the evaluated document as is, so a definition that does not validate can be inspected.
    const evaluated = await evaluateSource({ ...options.source, io: options.io, aws: options.aws, providerMode: options.expand ? 'expand' : 'placeholder' });
    return { text: await formatDocument(evaluated.evaluated.raw, format), value: evaluated.evaluated.raw };
  }
  const loaded = await loadApp({
    ...options.source,
    io: options.io,
    aws: options.aws,
    providerMode: options.expand ? 'expand' : 'placeholder',
    envMode: options.expand ? 'expand' : 'none',
    tag: options.tag,
  });
  if (options.format === 'docker') {
    // Without --expand provider values are `${NAME}` placeholders here: quoted, they print as they are.
    const lines = dockerCommands(loaded.model);
    return { text: lines.join('\n'), value: lines };
  }
  const model = printableModel(loaded.model);
  return { text: await formatDocument(model, options.format), value: model };
}
