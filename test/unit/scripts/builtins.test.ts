/**
 * lib/scripts/builtins.ts and lib/schedulers/builtins.ts describe the built-in scripts and schedulers without loading
 * their code (start-up); lib/scripts/registry.ts and lib/schedulers/registry.ts load the registrations. They must
 * name the same types with the very same schemas and checks.
 */
import { expect } from 'chai';
import { builtinSchedulerValidate, isBuiltinScheduler } from '../../../lib/schedulers/builtins.js';
import { builtinSchedulers } from '../../../lib/schedulers/registry.js';
import { BUILTIN_SCRIPT_TYPES, isBuiltinScript } from '../../../lib/scripts/builtin-types.js';
import { builtinScriptSchemas, loadBuiltinScript } from '../../../lib/scripts/builtins.js';
import { builtinScripts } from '../../../lib/scripts/registry.js';

describe('built-in scripts and schedulers, as listed for validation', () => {
  it('lists every built-in script type with its registration’s own config schema, and loads that registration', async () => {
    const registered = builtinScripts();
    const schemas = builtinScriptSchemas();
    expect([...schemas.keys()].sort()).to.deep.equal(registered.map((p) => p.type).sort());
    expect([...BUILTIN_SCRIPT_TYPES].sort()).to.deep.equal(registered.map((p) => p.type).sort());
    for (const plugin of registered) {
      expect(schemas.get(plugin.type), plugin.type).to.equal(plugin.configSchema);
      expect(isBuiltinScript(plugin.type)).to.equal(true);
      expect(await loadBuiltinScript(plugin.type), plugin.type).to.equal(plugin);
    }
    expect(isBuiltinScript('./my-script.mjs')).to.equal(false);
    expect(await loadBuiltinScript('./my-script.mjs')).to.equal(undefined);
  });

  it('gives each built-in scheduler’s registered validate', () => {
    for (const plugin of builtinSchedulers()) {
      expect(isBuiltinScheduler(plugin.type)).to.equal(true);
      expect(builtinSchedulerValidate(plugin.type), plugin.type).to.equal(plugin.validate);
    }
    expect(isBuiltinScheduler('./my-scheduler.mjs')).to.equal(false);
  });
});
