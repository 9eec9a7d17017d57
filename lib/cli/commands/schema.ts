import type { CliCommand } from './command.js';

export const schemaCommand: CliCommand = {
  command: 'schema',
  describe: 'Print the JSON Schema of application definitions (for editor completion)',
  builder: (y) =>
    y
      .example('hako schema > hako.schema.json', 'Save it for an editor (YAML language server, VS Code json.schemas)'),
  async run(_args, { io }) {
    const { definitionJsonSchema } = await import('../../definition/json-schema.js');
    io.result(JSON.stringify(definitionJsonSchema(), null, 2));
    return 0;
  },
};
