/**
 * lib/scripts/builtins.ts and lib/schedulers/builtins.ts describe the built-in scripts and schedulers without loading
 * their code (start-up); lib/scripts/registry.ts and lib/schedulers/registry.ts load the registrations. They must
 * name the same types with the very same schemas and checks.
 */
import { expect } from 'chai';
import { builtinSchedulerSchemas, builtinSchedulerValidate, isBuiltinScheduler } from '../../../lib/schedulers/builtins.js';
import { builtinSchedulers } from '../../../lib/schedulers/registry.js';
import { BUILTIN_SCRIPT_TYPES, isBuiltinScript } from '../../../lib/scripts/builtin-types.js';
import { builtinScriptSchemas, loadBuiltinScript } from '../../../lib/scripts/builtins.js';
import { builtinScripts } from '../../../lib/scripts/registry.js';

describe('built-in scripts and schedulers, as listed for validation', () => {
  it('lists every built-in script type with its registration’s own config schema, and loads that registration', async () => {
    const registered = builtinScripts();
    const schemas = await builtinScriptSchemas();
    expect([...schemas.keys()].sort()).to.deep.equal(registered.map((p) => p.type).sort());
    expect([...BUILTIN_SCRIPT_TYPES].sort()).to.deep.equal(registered.map((p) => p.type).sort());
    for (const plugin of registered) {
      expect(schemas.get(plugin.type), plugin.type).to.equal(plugin.configSchema);
      expect(isBuiltinScript(plugin.type)).to.equal(true);
      expect(await loadBuiltinScript(plugin.type), plugin.type).to.equal(plugin);
    }
    // Asked for some types, it loads the schemas of the built-in ones among them only.
    const some = await builtinScriptSchemas(['nginx_front', './my-script.mjs', 'nginx_front', 'create_aws_cloud_watch_logs_log_group']);
    expect([...some.keys()]).to.deep.equal(['nginx_front', 'create_aws_cloud_watch_logs_log_group']);
    expect(some.get('nginx_front')).to.equal(schemas.get('nginx_front'));
    expect((await builtinScriptSchemas([])).size).to.equal(0);
    expect(isBuiltinScript('./my-script.mjs')).to.equal(false);
    expect(await loadBuiltinScript('./my-script.mjs')).to.equal(undefined);
  });

  it('gives each built-in scheduler’s registered validate and config schema (those asked for)', async () => {
    const schemas = await builtinSchedulerSchemas();
    expect([...schemas.keys()]).to.deep.equal(['kubernetes']);
    expect([...(await builtinSchedulerSchemas(['ecs', './my-scheduler.mjs'])).keys()]).to.deep.equal([]);
    for (const plugin of builtinSchedulers()) {
      if (plugin.type !== 'ecs') expect(schemas.get(plugin.type), plugin.type).to.equal(plugin.configSchema);
      expect(isBuiltinScheduler(plugin.type)).to.equal(true);
      expect(builtinSchedulerValidate(plugin.type), plugin.type).to.equal(plugin.validate);
    }
    expect(isBuiltinScheduler('./my-scheduler.mjs')).to.equal(false);
  });
});
