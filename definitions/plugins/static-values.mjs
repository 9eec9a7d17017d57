// An example third-party env provider plugin: it answers names from its own `values` option. Use it
// - in a container's env: `'$providers': [{ type: './plugins/static-values.mjs', values: { GREETING: 'hello' } }]`
//   (the path is relative to the definition file; a package name resolves from the definition's directory), or
// - from Jsonnet with `hako … --plugin definitions/plugins/static-values.mjs` (or HAKO_PLUGINS), as
//   `std.native('provide.static-values')(std.toString({ values: { GREETING: 'hello' } }), 'GREETING')`: the native
//   function is named after the plugin's `type`.
// A real provider would read a secret store in `ask`; `askKeys` lets dry runs check names without reading values.
import { z } from 'zod';

/** @type {import('hako-ecs').ProviderPlugin<{ values: Record<string, string> }>} */
const plugin = {
  type: 'static-values',
  configSchema: z.strictObject({
    values: z.record(z.string(), z.string()),
  }),
  create(config) {
    const known = (names) => names.filter((name) => Object.hasOwn(config.values, name));
    return {
      async ask(names) {
        return Object.fromEntries(known(names).map((name) => [name, config.values[name]]));
      },
      async askKeys(names) {
        return known(names);
      },
    };
  },
};

export default plugin;
