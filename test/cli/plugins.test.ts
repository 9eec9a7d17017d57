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
