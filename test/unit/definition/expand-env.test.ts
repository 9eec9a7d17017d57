import { expect } from 'chai';
import { z } from 'zod';
import { formatIssue } from '../../../lib/errors.js';
import { expandEnv, tokenizeEnvValue, type EnvMode } from '../../../lib/definition/expand-env.js';
import type { AppModel, ContainerModel, EnvVar, ProviderConfig } from '../../../lib/definition/model.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import type { EnvProvider, ProviderPlugin } from '../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';
import { definitionErrorOf as failure } from '../../helpers/definition-error.js';

function container(name: string, env: Record<string, string>, providers: ProviderConfig[] = []): ContainerModel {
  return {
    name,
    image: `${name}:latest`,
    cpu: 0,
    links: [],
    port_mappings: [],
    essential: true,
    env: Object.entries(env).map(([n, value]): EnvVar => ({ name: n, value })),
    env_providers: providers,
    docker_labels: {},
    mount_points: [],
    privileged: false,
    volumes_from: [],
  };
}

function model(...containers: ContainerModel[]): AppModel {
  return {
    id: 'hello',
    file: fixture('eval', 'hello.jsonnet'),
    root_path: fixture('eval'),
    scheduler: {
      type: 'ecs',
      cluster: 'eagletmt',
      placement_constraints: [],
      placement_strategy: [],
      dynamic_port_mapping: true,
      tags: {},
      enable_execute_command: false,
    },
    containers,
    volumes: [],
    scripts: [],
    load_balancers: [],
  };
}

/** Providers answering from a fixed table and recording the names each call asked for. */
function scripted(type: string, table: Record<string, string>, options: { askKeys: boolean }) {
  const asked: string[][] = [];
  const keysAsked: string[][] = [];
  const plugin: ProviderPlugin = {
    type,
    configSchema: z.strictObject({}),
    create: () => {
      const provider: EnvProvider = {
        async ask(names) {
          asked.push([...names]);
          return Object.fromEntries(names.filter((n) => n in table).map((n) => [n, table[n]!]));
        },
      };
      if (options.askKeys) {
        provider.askKeys = async (names) => {
          keysAsked.push([...names]);
          return names.filter((n) => n in table);
        };
      }
      return provider;
    },
  };
  return { plugin, asked, keysAsked };
}

const envOf = (m: AppModel, name: string) => Object.fromEntries(m.containers.find((c) => c.name === name)!.env.map((v) => [v.name, v.value]));

describe('tokenizeEnvValue', () => {
  it('splits literal text and references, stopping each at the first }', () => {
    expect(tokenizeEnvValue('Hello, #{user}!#{a}#{b}}')).to.deep.equal([
      { kind: 'text', text: 'Hello, ' },
      { kind: 'variable', name: 'user' },
      { kind: 'text', text: '!' },
      { kind: 'variable', name: 'a' },
      { kind: 'variable', name: 'b' },
      { kind: 'text', text: '}' },
    ]);
    expect(tokenizeEnvValue('#{#{x}}')).to.deep.equal([
      { kind: 'variable', name: '#{x' },
      { kind: 'text', text: '}' },
    ]);
  });

  it('keeps a lone #, an unterminated #{ and a newline-split reference literal', () => {
    expect(tokenizeEnvValue('a # b #c #{open')).to.deep.equal([{ kind: 'text', text: 'a # b #c #{open' }]);
    expect(tokenizeEnvValue('#{a\nb}')).to.deep.equal([{ kind: 'text', text: '#{a\nb}' }]);
    expect(tokenizeEnvValue('')).to.deep.equal([]);
  });

  it('yields an empty name for #{}', () => {
    expect(tokenizeEnvValue('x#{}')).to.deep.equal([
      { kind: 'text', text: 'x' },
      { kind: 'variable', name: '' },
    ]);
  });
});

describe('expandEnv', () => {
  const registry = () => new ProviderRegistry(builtinProviders());
  const context = () => fakeContext(fixture('eval'));
  const helloEnv: ProviderConfig[] = [{ type: 'file', path: 'hello.env' }];

  it('leaves values without interpolation alone and asks no provider', async () => {
    const first = scripted('first', {}, { askKeys: true });
    const input = model(container('app', { PLAIN: 'a # b', EMPTY: '' }, [{ type: 'first' }]));
    const output = await expandEnv(input, 'expand', new ProviderRegistry([first.plugin]), context());
    expect(envOf(output, 'app')).to.deep.equal({ PLAIN: 'a # b', EMPTY: '' });
    expect(first.asked).to.deep.equal([]);
  });

  it('expands through the file provider (hako spec: Hello, #{username})', async () => {
    const input = model(container('app', { GREETING: 'Hello, #{username}', PORT: '3000' }, helloEnv));
    const output = await expandEnv(input, 'expand', registry(), context());
    expect(output.containers[0]!.env).to.deep.equal([
      { name: 'GREETING', value: 'Hello, eagletmt' },
      { name: 'PORT', value: '3000' },
    ]);
    // The input model is untouched.
    expect(input.containers[0]!.env[0]!.value).to.equal('Hello, #{username}');
  });

  it('reports an undefined variable with hako\'s message and the env path', async () => {
    const input = model(container('app', { GREETING: 'Hello, #{username} #{password}' }, helloEnv));
    const error = await failure(expandEnv(input, 'expand', registry(), context()));
    expect(error.issues.map(formatIssue)).to.deep.equal([
      'app.env.GREETING: Could not resolve embedded variables from $providers=[{"type":"file","path":"hello.env"}]: ["password"]',
    ]);
  });

  it('asks providers in order with the remaining names (hako spec: two providers)', async () => {
    const first = scripted('first', { foo: 'hoge' }, { askKeys: true });
    const second = scripted('second', { bar: 'fuga', foo: 'never' }, { askKeys: true });
    const providers = new ProviderRegistry([first.plugin, second.plugin]);
    const input = model(container('app', { MESSAGE: '#{foo}, #{bar}', AGAIN: '#{bar}#{foo}' }, [{ type: 'first' }, { type: 'second' }]));
    const output = await expandEnv(input, 'expand', providers, context());
    expect(envOf(output, 'app')).to.deep.equal({ MESSAGE: 'hoge, fuga', AGAIN: 'fugahoge' });
    expect(first.asked).to.deep.equal([['foo', 'bar']]);
    expect(second.asked).to.deep.equal([['bar']]);
  });

  it('uses each container\'s own providers and names sidecars in paths', async () => {
    const input = model(
      container('app', { USER: '#{username}' }, helloEnv),
      container('front', { USER: '#{username}' }),
    );
    const error = await failure(expandEnv(input, 'expand', registry(), context()));
    expect(error.issues.map(formatIssue)).to.deep.equal([
      'sidecars.front.env.USER: Could not resolve embedded variables from $providers=[]: ["username"]',
    ]);
  });

  it('rejects #{} and lists every problem at once', async () => {
    const input = model(
      container('app', { A: 'x#{}', B: '#{missing}' }, helloEnv),
      container('front', { C: '#{}' }),
    );
    const error = await failure(expandEnv(input, 'expand', registry(), context()));
    expect(error.issues.map(formatIssue)).to.deep.equal([
      'app.env.A: Empty interpolation is not allowed',
      'app.env.B: Could not resolve embedded variables from $providers=[{"type":"file","path":"hello.env"}]: ["missing"]',
      'sidecars.front.env.C: Empty interpolation is not allowed',
    ]);
  });

  it('never puts resolved values into errors', async () => {
    const secret = scripted('secret', { TOKEN: 's3cr3t-value' }, { askKeys: true });
    const input = model(container('app', { AUTH: '#{TOKEN}:#{MISSING}' }, [{ type: 'secret' }]));
    const error = await failure(expandEnv(input, 'expand', new ProviderRegistry([secret.plugin]), context()));
    const text = [error.message, error.hint ?? '', ...error.issues.map(formatIssue)].join('\n');
    expect(text).to.contain('["MISSING"]');
    expect(text).not.to.contain('s3cr3t-value');
  });

  it('reports a bad $providers entry at its path', async () => {
    const input = model(container('app', { A: '#{x}' }, [{ type: 'file' }]));
    const error = await failure(expandEnv(input, 'expand', registry(), context()));
    expect(error.issues.map(formatIssue)).to.deep.equal(['app.env.$providers.0: file provider: path must be set']);
  });

  describe("mode 'check'", () => {
    it('checks names exist with askKeys and keeps the values unexpanded', async () => {
      const first = scripted('first', { foo: 'hoge' }, { askKeys: true });
      const second = scripted('second', { bar: 'fuga' }, { askKeys: true });
      const input = model(container('app', { MESSAGE: '#{foo}, #{bar}' }, [{ type: 'first' }, { type: 'second' }]));
      const output = await expandEnv(input, 'check', new ProviderRegistry([first.plugin, second.plugin]), context());
      expect(envOf(output, 'app')).to.deep.equal({ MESSAGE: '#{foo}, #{bar}' });
      expect(first.keysAsked).to.deep.equal([['foo', 'bar']]);
      expect(second.keysAsked).to.deep.equal([['bar']]);
      expect(first.asked.length + second.asked.length).to.equal(0);
    });

    it("fails with hako's 'Could not find' message", async () => {
      const input = model(container('app', { GREETING: 'Hello, #{nobody}' }, helloEnv));
      const error = await failure(expandEnv(input, 'check', registry(), context()));
      expect(error.issues.map(formatIssue)).to.deep.equal([
        'app.env.GREETING: Could not find embedded variables from $providers=[{"type":"file","path":"hello.env"}]: ["nobody"]',
      ]);
    });

    it('stops validating at a provider that cannot list keys, with a warning', async () => {
      const first = scripted('first', { foo: 'hoge' }, { askKeys: true });
      const blind = scripted('blind', {}, { askKeys: false });
      const ctx = context();
      const input = model(container('app', { MESSAGE: '#{foo} #{unknown}' }, [{ type: 'first' }, { type: 'blind' }]));
      const output = await expandEnv(input, 'check', new ProviderRegistry([first.plugin, blind.plugin]), ctx);
      expect(envOf(output, 'app')).to.deep.equal({ MESSAGE: '#{foo} #{unknown}' });
      expect(blind.asked).to.deep.equal([]);
      const warning = ctx.io.messages.find((m) => m.code === 'env.validate-skipped');
      expect(warning?.level).to.equal('warn');
      expect(warning?.message).to.contain('blind');
    });

    it('still rejects #{}', async () => {
      const error = await failure(expandEnv(model(container('app', { A: '#{}' })), 'check', registry(), context()));
      expect(error.issues.map(formatIssue)).to.deep.equal(['app.env.A: Empty interpolation is not allowed']);
    });
  });

  it("mode 'none' returns the model untouched", async () => {
    const input = model(container('app', { A: '#{}', B: '#{nothing}' }));
    expect(await expandEnv(input, 'none' as EnvMode, registry(), context())).to.equal(input);
  });
});
