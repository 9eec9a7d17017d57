import { expect } from 'chai';
import { Jsonnet } from '@hanazuki/node-jsonnet';
import { parse as parseYaml } from 'yaml';
import { formatDefinition, formatOfFile } from '../../../lib/definition/write-definition.js';

const DOC = {
  scheduler: { type: 'ecs', cluster: 'prod', desired_count: 2, tags: { 'team-name': 'x', local: 'keyword key' } },
  app: {
    image: 'example/app',
    tag: '1.0',
    env: { QUOTES: `it's "x"`, BACKSLASH: 'a\\b', NEWLINE: 'a\nb', TAB: 'a\tb', CONTROL: 'a\u0001b', UNICODE: 'ümlaut ✓', EMPTY: '' },
    command: ['sh', '-c', 'echo $HOME'],
    port_mappings: [{ container_port: 80 }],
    essential: false,
    health_check: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
  },
  volumes: { data: {}, 'with-dash': { source_path: '/srv' } },
};

describe('definition: writing a definition document', () => {
  it('Jsonnet: bare keys where Jsonnet allows them, escapes that the real Jsonnet reads back exactly', async () => {
    const text = formatDefinition(DOC, 'jsonnet', ['Written by a test.']);
    expect(text.startsWith('// Written by a test.\n{\n  scheduler: {\n    type: \'ecs\',')).to.equal(true);
    expect(text).to.contain("'team-name': 'x',");
    expect(text).to.contain("'local': 'keyword key',");
    expect(text).to.contain("command: ['sh', '-c', 'echo $HOME'],");
    const evaluated = JSON.parse(await new Jsonnet().evaluateSnippet(text)) as unknown;
    expect(evaluated).to.deep.equal(DOC);
  });

  it('YAML and JSON read back exactly too', () => {
    expect(parseYaml(formatDefinition(DOC, 'yaml', ['header']))).to.deep.equal(DOC);
    expect(JSON.parse(formatDefinition(DOC, 'json', ['ignored']))).to.deep.equal(DOC);
  });

  it('knows the format of a file by its extension', () => {
    expect(['a.jsonnet', 'a.yml', 'a.YAML', 'a.json', 'a.txt'].map(formatOfFile)).to.deep.equal(['jsonnet', 'yaml', 'yaml', 'json', undefined]);
  });
});
