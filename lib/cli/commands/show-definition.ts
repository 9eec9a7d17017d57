import { awsFor } from '../aws.js';
import { definitionSource, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

interface Args extends DefinitionArgs {
  expand?: boolean;
  raw?: boolean;
  format: 'json' | 'yaml' | 'docker';
  tag?: string;
}

export const showDefinitionCommand: CliCommand = {
  command: 'show-definition <file>',
  describe: 'Validate a definition and print its canonical model',
  builder: (y) =>
    withDefinitionOptions(y)
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
      .example('hako show-definition --raw app.jsonnet', 'The evaluated document before validation, as hako printed it'),
  async run(args: Args, { io }) {
    const { showDefinition } = await import('../../actions/show-definition.js');
    await showDefinition({
      source: definitionSource(args),
      io,
      awsFor,
      expand: args.expand ?? false,
      raw: args.raw ?? false,
      format: args.format,
      tag: args.tag,
    });
    return 0;
  },
};
