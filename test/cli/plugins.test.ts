/** Third-party plugins through the CLI: the example plugin validates with the definition; bad plugins fail clearly. */
import { expect } from 'chai';
import path from 'node:path';
import { runHako } from '../helpers/cli.js';
import { definitionsDir, fixture } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1' };

describe('third-party plugins', () => {
  it('loads the example script plugin relative to the definition', async () => {
    const r = await runHako(['show-definition', path.join(definitionsDir, 'with-plugin.jsonnet')], { env: NO_AWS });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    const model = JSON.parse(r.stdout) as { scripts: { type: string; config: Record<string, unknown> }[] };
    expect(model.scripts).to.deep.equal([{ type: './plugins/deploy-notice.mjs', config: { channel: '#deploys' } }]);
  });

  it("validates the plugin's config with its own schema, with the path", async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'bad-config.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('scripts[0].channel');
  });

  it('names a missing plugin module and the definition', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'missing-plugin.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('./no-such-plugin.mjs');
    expect(r.stderr).to.include('missing-plugin.jsonnet');
    expect(r.stderr).not.to.include('Internal error');
  });

  it('rejects a module that does not export a plugin registration', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'wrong-shape.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('does not export a plugin registration');
    expect(r.stderr).to.include('./wrong-shape.mjs');
  });
});

const staticValues = path.join(definitionsDir, 'plugins', 'static-values.mjs');

describe('third-party env provider plugins', () => {
  const file = path.join(definitionsDir, 'with-provider-plugin.jsonnet');
  const messageOf = (stdout: string) =>
    (JSON.parse(stdout) as { containers: { env: { name: string; value: string }[] }[] }).containers[0]!.env.find((e) => e.name === 'MESSAGE')?.value;

  it('answers $providers entries naming a module, with --expand', async () => {
    const r = await runHako(['show-definition', '--expand', file], { env: NO_AWS });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(messageOf(r.stdout)).to.equal('hello, world');
  });

  it('leaves #{...} as written without --expand', async () => {
    const r = await runHako(['show-definition', file], { env: NO_AWS });
    expect(r.code).to.equal(0);
    expect(messageOf(r.stdout)).to.equal('#{GREETING}, world');
  });

  it('serves std.native("provide.<type>") when loaded with --plugin', async () => {
    const native = fixture('plugins', 'native-provider.jsonnet');
    const expanded = await runHako(['show-definition', '--expand', '--plugin', staticValues, native], { env: NO_AWS });
    expect(expanded.stderr).to.equal('');
    expect(messageOf(expanded.stdout)).to.equal('hello, world');
    const placeholder = await runHako(['show-definition', '--plugin', staticValues, native], { env: NO_AWS });
    expect(messageOf(placeholder.stdout)).to.equal('${GREETING}, world');
  });

  it('loads --plugin modules from HAKO_PLUGINS too', async () => {
    const r = await runHako(['show-definition', '--expand', fixture('plugins', 'native-provider.jsonnet')], { env: { ...NO_AWS, HAKO_PLUGINS: staticValues } });
    expect(r.code).to.equal(0);
    expect(messageOf(r.stdout)).to.equal('hello, world');
  });

  it('names a missing provider module, where it was named and the definition', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'missing-provider.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('./no-such-provider.mjs');
    expect(r.stderr).to.include('app.env.$providers[0]');
    expect(r.stderr).to.include('missing-provider.jsonnet');
    expect(r.stderr).not.to.match(/Internal error|\n\s+at /);
  });

  it('rejects a provider module that does not export a registration', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'wrong-shape-provider.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('provider plugin "./wrong-shape.mjs"');
    expect(r.stderr).to.include('does not export a plugin registration');
    expect(r.stderr).to.include('wrong-shape-provider.jsonnet');
  });

  it('reports a provider whose create throws, with its path and no stack trace', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'throwing-provider.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('throwing-provider.jsonnet');
    expect(r.stderr).to.include('app.env.$providers[0]: ./throwing-provider.mjs provider failed to start: the vault is sealed');
    expect(r.stderr).not.to.match(/Internal error|\n\s+at /);
  });

  it("validates the provider's options with its schema, at the entry's path", async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'bad-provider-options.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('bad-provider-options.jsonnet');
    expect(r.stderr).to.match(/sidecars\.worker\.env\.\$providers\[1\]: \S*static-values\.mjs provider: values\.A/);
  });
});

describe('third-party scheduler plugins', () => {
  const file = path.join(definitionsDir, 'with-scheduler-plugin.jsonnet');

  it('deploys through the plugin without calling AWS', async () => {
    const r = await runHako(['deploy', file], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim().split('\n')).to.deep.equal([
      '[demo] with-scheduler-plugin: app busybox:1.36',
      '[demo] with-scheduler-plugin: redis redis:7',
      'Deployment completed',
    ]);
  });

  it("renders the plugin's plan for deploy --dry-run and changes nothing", async () => {
    const r = await runHako(['deploy', '--dry-run', file], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Print the 2 container(s) of with-scheduler-plugin');
    expect(r.stdout).not.to.include('[demo]');
  });

  it("prints the plugin's status", async () => {
    const r = await runHako(['status', file], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('with-scheduler-plugin (demo): app, redis');
  });

  it('fails clearly for a command the plugin does not implement', async () => {
    const r = await runHako(['oneshot', file, 'echo', 'hi'], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('scheduler plugin ./plugins/print-scheduler.mjs does not support oneshot');
    expect(r.stderr).not.to.match(/Internal error|\n\s+at /);
  });

  it("validates the scheduler's keys with the plugin's schema, with scheduler.<key> paths", async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'bad-scheduler-config.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('scheduler.label: expected a string, got number 5');
    expect(r.stderr).to.include('scheduler.replicas: unknown key');
  });

  it('names a missing scheduler module and the definition', async () => {
    const r = await runHako(['show-definition', fixture('plugins', 'missing-scheduler.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('Cannot load scheduler plugin "./no-such-scheduler.mjs"');
    expect(r.stderr).to.include('missing-scheduler.jsonnet');
  });

  it('reports a throwing scheduler method as the plugin failing, without a stack trace', async () => {
    const r = await runHako(['deploy', fixture('plugins', 'throwing-scheduler.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('"./throwing-scheduler.mjs"');
    expect(r.stderr).to.include('throwing-scheduler.jsonnet');
    expect(r.stderr).to.include('failed in deploy: the cluster is on fire');
    expect(r.stderr).not.to.match(/Internal error|\n\s+at /);
  });
});
