import { expect } from 'chai';
import path from 'node:path';
import { z } from 'zod';
import { UsageError, formatIssue } from '../../../lib/errors.js';
import { appIdOf, evaluateDefinition, type EvaluateOptions, type ProviderMode } from '../../../lib/definition/evaluate.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import type { ProviderPlugin } from '../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';
import { definitionErrorOf as evaluationError } from '../../helpers/definition-error.js';

function options(file: string, providerMode: ProviderMode = 'expand', extra: Partial<EvaluateOptions> = {}): EvaluateOptions {
  return {
    file,
    providerMode,
    providers: new ProviderRegistry(builtinProviders()),
    // Deliberately not the definition's directory: evaluation must resolve provider paths against the file.
    context: fakeContext('/nonexistent-root'),
    ...extra,
  };
}

/** A provider plugin that counts creations and asks, answering `<type>:<name>` for the names it knows. */
function countingPlugin(type: string, askKeys: boolean, knows: (name: string) => boolean = (n) => n === 'username') {
  const counter = { created: 0, asked: 0 };
  const plugin: ProviderPlugin = {
    type,
    configSchema: z.record(z.string(), z.unknown()),
    create: () => {
      counter.created += 1;
      return {
        async ask(names) {
          counter.asked += 1;
          return Object.fromEntries(names.filter(knows).map((n) => [n, `${type}:${n}`]));
        },
        ...(askKeys ? { askKeys: async (names: readonly string[]) => names.filter(knows) } : {}),
      };
    },
  };
  return { plugin, counter };
}

describe('evaluateDefinition: Jsonnet and JSON', () => {
  it('derives app id, root path and format from the path', async () => {
    const result = await evaluateDefinition(options(fixture('eval', 'ecs.jsonnet')));
    expect(result.appId).to.equal('ecs');
    expect(result.file).to.equal(fixture('eval', 'ecs.jsonnet'));
    expect(result.rootPath).to.equal(fixture('eval'));
    expect(result.format).to.equal('jsonnet');
    expect(appIdOf('/a/foo.bar.jsonnet')).to.equal('foo.bar');
    expect(appIdOf('hello.yml')).to.equal('hello');
  });

  it('prints like hako show-definition for ecs.jsonnet (fields sorted by Jsonnet)', async () => {
    const { raw } = await evaluateDefinition(options(fixture('eval', 'ecs.jsonnet')));
    expect(JSON.stringify(raw, null, 2)).to.equal(
      [
        '{',
        '  "app": {',
        '    "cpu": 32,',
        '    "image": "busybox",',
        '    "memory": 64',
        '  },',
        '  "scheduler": {',
        '    "cluster": "eagletmt",',
        '    "desired_count": 1,',
        '    "region": "ap-northeast-1",',
        '    "role": "ECSServiceRole",',
        '    "type": "ecs"',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('evaluates .json through Jsonnet, as hako does', async () => {
    const result = await evaluateDefinition(options(fixture('eval', 'plain.json')));
    expect(result.format).to.equal('json');
    expect(result.appId).to.equal('plain');
    expect(Object.keys(result.raw as object)).to.deep.equal(['app', 'scheduler']);
  });

  it('binds appId (last extension removed), --ext-str and --ext-code', async () => {
    const result = await evaluateDefinition(
      options(fixture('eval', 'foo.bar.jsonnet'), 'expand', { extStr: { stage: 'dev' }, extCode: { replicas: '1 + 2' } }),
    );
    expect(result.raw).to.deep.equal({ id: 'foo.bar', stage: 'dev', replicas: 3 });
  });

  it('refuses to let --ext-str override appId', async () => {
    let caught: unknown;
    await evaluateDefinition(options(fixture('eval', 'foo.bar.jsonnet'), 'expand', { extStr: { appId: 'x', stage: 'a' } })).catch(
      (e: unknown) => (caught = e),
    );
    expect(caught).to.be.instanceOf(UsageError);
    expect((caught as Error).message).to.contain('appId');
  });

  it('searches -J directories, relative to the working directory', async () => {
    const main = fixture('eval', 'jpath', 'main.jsonnet');
    const jpath = [path.relative(process.cwd(), fixture('eval', 'jpath', 'lib'))];
    const result = await evaluateDefinition(options(main, 'expand', { jpath }));
    expect(result.raw).to.deep.equal({ scheduler: { cluster: 'from-jpath' } });
    const error = await evaluationError(evaluateDefinition(options(main)));
    expect(error.issues[0]!.message).to.contain('shared.libsonnet');
  });

  it('rejects an unknown extension with the supported ones in the hint', async () => {
    const file = fixture('eval', 'unknown.txt');
    const error = await evaluationError(evaluateDefinition(options(file)));
    expect(error.message).to.equal(`Unknown extension: ${file}`);
    expect(error.hint).to.contain('.jsonnet').and.to.contain('.yaml');
  });

  it('names a missing definition file', async () => {
    const error = await evaluationError(evaluateDefinition(options('no/such/app.jsonnet')));
    expect(error.message).to.contain('no/such/app.jsonnet');
  });

  describe('provide.<type> native functions', () => {
    it('expands values through file and yaml providers relative to the definition', async () => {
      const { raw } = await evaluateDefinition(options(fixture('eval', 'provide.jsonnet'), 'expand'));
      expect(raw).to.deep.equal({
        again: 'eagletmt',
        app_id: 'provide',
        db_port: '3306',
        hosts: 'app-001/app-002',
        username: 'eagletmt',
      });
    });

    it('runs the docs/jsonnet.md awesome-app example', async () => {
      const { raw } = await evaluateDefinition(options(fixture('eval', 'awesome-app', 'awesome-app.jsonnet')));
      expect(JSON.stringify(raw, null, 2)).to.equal('{\n  "password": "hako",\n  "username": "eagletmt"\n}');
    });

    it('placeholder mode returns ${NAME} without creating any provider', async () => {
      const file = countingPlugin('file', true);
      const yaml = countingPlugin('yaml', true);
      const providers = new ProviderRegistry([file.plugin, yaml.plugin]);
      const { raw } = await evaluateDefinition(options(fixture('eval', 'provide.jsonnet'), 'placeholder', { providers }));
      expect(raw).to.deep.include({ username: '${username}', hosts: '${host}', db_port: '${app.db.port}' });
      expect(file.counter.created + yaml.counter.created).to.equal(0);
    });

    it('check mode returns placeholders after checking the names exist', async () => {
      const { raw } = await evaluateDefinition(options(fixture('eval', 'provide.jsonnet'), 'check'));
      expect(raw).to.deep.include({ username: '${username}', hosts: '${host}', again: '${username}' });
    });

    it('check mode fails for a name the provider does not list, with hako\'s message and the call site', async () => {
      const relative = path.relative(process.cwd(), fixture('eval', 'provide-missing.jsonnet'));
      const error = await evaluationError(evaluateDefinition(options(relative, 'check')));
      expect(error.issues).to.have.length(1);
      expect(formatIssue(error.issues[0]!)).to.equal(
        `${relative}:3:13: Could not lookup password from file provider with options={"path": "hello.env"}`,
      );
    });

    it('check mode cannot check a provider that lists no keys, and lets the name through', async () => {
      const noKeys = countingPlugin('file', false);
      const providers = new ProviderRegistry([noKeys.plugin]);
      const { raw } = await evaluateDefinition(options(fixture('eval', 'provide-missing.jsonnet'), 'check', { providers }));
      expect(raw).to.deep.equal({ username: '${username}', password: '${password}' });
      expect(noKeys.counter.asked).to.equal(0);
    });

    it('expand mode fails for an unknown name with hako\'s message', async () => {
      const error = await evaluationError(evaluateDefinition(options(fixture('eval', 'provide-missing.jsonnet'))));
      expect(error.issues[0]!.message).to.equal('Could not lookup password from file provider with options={"path": "hello.env"}');
      expect(error.issues[0]!.line).to.equal(3);
    });

    it('creates each provider once per options and asks each name once per run', async () => {
      const file = countingPlugin('file', true, () => true);
      const yaml = countingPlugin('yaml', true, () => true);
      const providers = new ProviderRegistry([file.plugin, yaml.plugin]);
      const { raw } = await evaluateDefinition(options(fixture('eval', 'provide.jsonnet'), 'expand', { providers }));
      expect(raw).to.deep.include({ username: 'file:username', again: 'file:username', hosts: 'yaml:host' });
      // provide.jsonnet calls provide.file twice with the same options and name, provide.yaml with two options.
      expect(file.counter).to.deep.equal({ created: 1, asked: 1 });
      expect(yaml.counter).to.deep.equal({ created: 2, asked: 2 });
    });

    it('reports options that are not JSON at the call', async () => {
      const error = await evaluationError(evaluateDefinition(options(fixture('eval', 'provide-bad-options.jsonnet'))));
      expect(error.issues[0]!.message).to.contain('options is not valid JSON');
      expect(error.issues[0]!.line).to.equal(2);
      expect(error.hint).to.contain('std.toString');
    });

    it('locates a failing call inside an imported .libsonnet', async () => {
      const error = await evaluationError(evaluateDefinition(options(fixture('eval', 'errors', 'uses-lookup-lib.jsonnet'))));
      const issue = error.issues[0]!;
      expect(issue.file).to.equal(fixture('eval', 'errors', 'lookup.libsonnet'));
      expect([issue.line, issue.column]).to.deep.equal([2, 11]);
      expect(issue.message).to.equal('Could not lookup nope from file provider with options={"path": "../hello.env"}');
    });
  });
});

describe('env and must_env native functions (ecspresso names)', () => {
  const env = { STAGE: 'prod', REGION: 'eu-west-1', EMPTY: '' };

  for (const mode of ['expand', 'placeholder'] as const) {
    it(`read the context environment in ${mode} mode: env falls back when unset or empty, must_env accepts empty`, async () => {
      const { raw } = await evaluateDefinition(options(fixture('envfile', 'natives.jsonnet'), mode, { context: fakeContext('/', env) }));
      expect(raw).to.deep.equal({
        stage: 'prod',
        region: 'eu-west-1',
        fallback: 'default-value',
        empty_falls_back: 'default-for-empty',
        must_empty: '',
      });
    });
  }

  it('must_env fails at the call site naming the variable, with a hint about --envfile', async () => {
    const relative = path.relative(process.cwd(), fixture('envfile', 'must-env-missing.jsonnet'));
    const error = await evaluationError(evaluateDefinition(options(relative, 'placeholder', { context: fakeContext('/', env) })));
    expect(formatIssue(error.issues[0]!)).to.equal(`${relative}:2:10: must_env: environment variable HAKO_TEST_SURELY_UNSET is not set`);
    expect(error.hint).to.contain('--envfile');
  });
});
