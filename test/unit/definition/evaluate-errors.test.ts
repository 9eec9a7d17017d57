import { expect } from 'chai';
import path from 'node:path';
import { DefinitionError, formatIssue } from '../../../lib/errors.js';
import { evaluateDefinition } from '../../../lib/definition/evaluate.js';
import { parseJsonnetError } from '../../../lib/definition/evaluate/jsonnet-errors.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';

async function errorFor(file: string): Promise<DefinitionError> {
  try {
    await evaluateDefinition({
      file,
      providerMode: 'expand',
      providers: new ProviderRegistry(builtinProviders()),
      context: fakeContext(path.dirname(file)),
    });
  } catch (e) {
    expect(e).to.be.instanceOf(DefinitionError);
    return e as DefinitionError;
  }
  expect.fail(`expected ${file} to fail`);
}

/** Fixture path as a user in the repository root would type it. */
const rel = (...parts: string[]) => path.relative(process.cwd(), fixture(...parts));

describe('evaluateDefinition: located errors', () => {
  describe('Jsonnet (real libjsonnet)', () => {
    it('locates a syntax error in the main file', async () => {
      const file = rel('eval', 'errors', 'syntax.jsonnet');
      const error = await errorFor(file);
      expect(error.file).to.equal(file);
      expect(error.issues.map(formatIssue)).to.deep.equal([`${file}:4:13: unexpected: "," while parsing terminal`]);
    });

    it('names the imported .libsonnet that holds the syntax error', async () => {
      const error = await errorFor(rel('eval', 'errors', 'uses-broken-lib.jsonnet'));
      expect(error.issues.map(formatIssue)).to.deep.equal([
        `${rel('eval', 'errors', 'broken.libsonnet')}:3:3: expected a comma before next field.`,
      ]);
    });

    it('locates a runtime error', async () => {
      const file = rel('eval', 'errors', 'runtime.jsonnet');
      const issue = (await errorFor(file)).issues[0]!;
      expect(issue).to.deep.include({ file, line: 1, message: 'cluster is required' });
    });
  });

  describe('YAML', () => {
    it('locates a syntax error', async () => {
      const file = rel('eval', 'yaml', 'errors', 'syntax.yml');
      const [issue] = (await errorFor(file)).issues;
      expect(issue).to.deep.include({ file, line: 4 });
      expect(issue!.message).to.contain('Flow sequence');
    });

    it('reports an error in an included file with the include chain', async () => {
      const error = await errorFor(rel('eval', 'yaml', 'errors', 'chain.yml'));
      const issue = error.issues[0]!;
      expect(issue.file).to.equal(rel('eval', 'yaml', 'errors', 'nested', 'broken.yml'));
      expect(issue.line).to.equal(3);
      expect(issue.message).to.match(
        new RegExp(
          `\\(included from ${escape(rel('eval', 'yaml', 'errors', 'nested', 'middle.yml'))}:2:\\d+, from ${escape(rel('eval', 'yaml', 'errors', 'chain.yml'))}:3:\\d+\\)$`,
        ),
      );
    });

    it('rejects an include cycle, showing the chain', async () => {
      const a = rel('eval', 'yaml', 'errors', 'cycle-a.yml');
      const b = rel('eval', 'yaml', 'errors', 'cycle-b.yml');
      const issue = (await errorFor(a)).issues[0]!;
      expect(issue.message).to.contain(`Include cycle: ${a} -> ${b} -> ${a}`);
      expect(issue.file).to.equal(b);
    });

    it('rejects duplicate keys with their position', async () => {
      const file = rel('eval', 'yaml', 'errors', 'duplicate.yml');
      expect((await errorFor(file)).issues.map(formatIssue)).to.deep.equal([`${file}:3:3: Map keys must be unique`]);
    });

    it('names a missing include at the !include', async () => {
      const file = rel('eval', 'yaml', 'errors', 'missing-include.yml');
      const issue = (await errorFor(file)).issues[0]!;
      expect(issue).to.deep.include({ file, line: 1 });
      expect(issue.message).to.contain(`${rel('eval', 'yaml', 'errors', 'nowhere.yml')}: no such file`);
    });
  });
});

describe('parseJsonnetError', () => {
  it('reads a static error', () => {
    expect(parseJsonnetError('STATIC ERROR: a/b.libsonnet:3:5-10: unexpected end of file.\n')).to.deep.equal({
      kind: 'static',
      message: 'unexpected end of file.',
      location: { file: 'a/b.libsonnet', line: 3, column: 5 },
      trace: [],
    });
  });

  it('reads a runtime error, skipping stdlib frames and multi-line ranges', () => {
    const parsed = parseJsonnetError(
      'RUNTIME ERROR: first line\nsecond line\n\tstd.jsonnet:259:50-62\tthunk <array_element>\n\tmain.jsonnet:(1:6)-(2:11)\tobject <anonymous>\n\tDuring manifestation\t\n',
    );
    expect(parsed.kind).to.equal('runtime');
    expect(parsed.message).to.equal('first line\nsecond line');
    expect(parsed.location).to.deep.equal({ file: 'main.jsonnet', line: 1, column: 6 });
    expect(parsed.trace).to.have.length(2);
  });

  it('keeps unrecognised text as the message', () => {
    expect(parseJsonnetError('something else')).to.deep.equal({ kind: 'other', message: 'something else', trace: [] });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
