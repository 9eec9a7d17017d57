/**
 * The floor under `hako show-definition FILE`: Node, @hanazuki/node-jsonnet, and the one evaluation of FILE that
 * show-definition makes — the same `appId` ext var and native functions, answered the way show-definition answers
 * them without --expand (`provide.*` gives the `${name}` placeholder) — with the Jsonnet output written to stdout.
 * No hako code: what is left above this is hako's own (bin/hako, the CLI bundle, validation, normalising, printing).
 * bench-startup runs it beside node -e 0 and hako. CommonJS, as bin/hako is: no ES module loader is set up.
 * Usage: node dist/scripts/jsonnet-floor.cjs FILE
 */
import path from 'node:path';

type NativeValue = string | number | boolean | null;
interface JsonnetVm {
  extString(name: string, value: string): JsonnetVm;
  nativeCallback(name: string, fn: (...args: NativeValue[]) => Promise<NativeValue>, ...params: string[]): JsonnetVm;
  evaluateFile(file: string): Promise<string>;
}

// Required by name at run time, as hako's own loader does (lib/definition/evaluate/jsonnet-addon.ts).
const { Jsonnet } = require('@hanazuki/node-jsonnet') as { Jsonnet: new () => JsonnetVm };

const file = process.argv[2];
if (file === undefined) throw new Error('usage: jsonnet-floor FILE');
const vm = new Jsonnet().extString('appId', path.basename(file, path.extname(file)));
// The natives hako registers for its built-in providers (nativeSignatures in lib/definition/evaluate/head-start.ts).
// Registered so the set is the same; hello.jsonnet calls only provide.file.
for (const provider of ['file', 'yaml', 'env', 'ssm', 'secretsmanager']) {
  vm.nativeCallback(`provide.${provider}`, async (_options, name) => `\${${String(name)}}`, 'options', 'name');
}
vm.nativeCallback('provide.tfstate', async () => null, 'options', 'name');
vm.nativeCallback('tfstate', async () => null, 'address');
vm.nativeCallback('env', async (name, fallback) => process.env[String(name)] || fallback, 'name', 'default');
vm.nativeCallback('must_env', async (name) => process.env[String(name)] ?? null, 'name');
vm.evaluateFile(file).then(
  (json) => process.stdout.write(json),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  },
);
