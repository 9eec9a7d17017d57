import type { FleetOutcome } from '../../fleet/runner.js';
import { awsFor } from '../aws.js';
import type { AppContext, AppOutcome } from '../fleet/app-task.js';
import { withFleetOptions, type FleetArgs } from '../fleet/options.js';
import { runDefinitions } from '../fleet/run-definitions.js';
import { definitionSource, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

interface Args extends DefinitionArgs {
  expand?: boolean;
  raw?: boolean;
  format: 'json' | 'yaml' | 'docker';
  tag?: string;
}

async function showOne(args: Args, app: AppContext): Promise<AppOutcome> {
  const { definitionDocument } = await import('../../actions/show-definition.js');
  const document = await definitionDocument({
    source: definitionSource(args),
    io: app.io,
    awsFor,
    expand: args.expand ?? false,
    raw: args.raw ?? false,
    format: args.format,
    tag: args.tag,
  });
  // Printed in its --format even with --output json, as always; `data` is what a document of many holds.
  return { exitCode: 0, result: 'valid', text: document.text, data: document.value };
}

/**
 * Many definitions print as one document keyed by app (`hako show-definition apps/ | jq .web`), in the --format
 * asked for; docker lines as one block per app. Invalid definitions are left out: their problems went to stderr.
 */
async function combined(args: Args, outcomes: readonly FleetOutcome<AppOutcome>[]): Promise<string> {
  const valid = outcomes.filter((o) => o.status === 'ok' && o.value !== undefined);
  if (args.format === 'docker') {
    return valid.map((o) => `# ${o.entry.label} (${o.entry.file ?? ''})\n${o.value?.text ?? ''}`).join('\n\n');
  }
  const { formatDocument } = await import('../../actions/show-definition.js');
  return formatDocument(Object.fromEntries(valid.map((o) => [o.entry.label, o.value?.data])), args.format);
}

export const showDefinitionCommand: CliCommand = {
  command: 'show-definition <file..>',
  describe: 'Validate a definition and print its canonical model',
  builder: (y) =>
    withFleetOptions(y)
      .option('expand', { type: 'boolean', describe: 'Resolve provider values (may print secrets); default prints ${NAME} placeholders' })
      .option('raw', { type: 'boolean', describe: 'Print the evaluated definition before normalisation (what Ruby hako printed)' })
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container (overrides app.tag), as deploy --tag would' })
      .option('format', {
        choices: ['json', 'yaml', 'docker'] as const,
        default: 'json' as const,
        describe: 'Output format; docker: the docker volume create / docker run lines that run the app locally',
      })
      .example('hako show-definition app.jsonnet', 'Validate, then print the model with ${NAME} placeholders for provider values')
      .example('hako show-definition --format yaml --strict app.yml', 'As YAML; unknown keys are errors')
      .example('hako show-definition --format docker app.jsonnet', 'The docker run lines that run the app locally (shell-quoted)')
      .example('hako show-definition --raw app.jsonnet', 'The evaluated document before validation, as hako printed it')
      .example('hako show-definition apps/ > /dev/null', 'Lint a directory of definitions: every problem of every file, exit 1 if any is invalid'),
  run: (args: FleetArgs & Args, context) =>
    runDefinitions(args, context, { name: 'show-definition', task: showOne, combine: (outcomes) => combined(args, outcomes) }),
};
