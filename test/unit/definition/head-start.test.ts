/**
 * The Jsonnet head start (lib/definition/evaluate/head-start.ts): bin/hako starts evaluating from a guess at the
 * command line, and the real evaluation adopts it only when it was set up the same way and every answer it gave by
 * itself is the real one — otherwise the result is the one a fresh evaluation gives. The evaluations here are real
 * (libjsonnet); providers read the fixture files.
 */
import { expect } from 'chai';
import path from 'node:path';
import { evaluateDefinition, type EvaluateOptions, type ProviderMode } from '../../../lib/definition/evaluate.js';
import {
  adoptHeadStart,
  BUILTIN_PROVIDER_TYPES,
  discardHeadStart,
  guessSetup,
  nativeSignatures,
  startHeadStart,
  type EvaluationSetup,
  type NativeImplementation,
} from '../../../lib/definition/evaluate/head-start.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';

const cwd = process.cwd();
/** The fixture as a path relative to the working directory, as a user would type it. */
const provideFixture = path.relative(cwd, fixture('eval', 'provide.jsonnet'));

function evaluateOptions(providerMode: ProviderMode, env: Record<string, string> = {}): EvaluateOptions {
  return {
    file: provideFixture,
    providerMode,
    providers: new ProviderRegistry(builtinProviders()),
    context: fakeContext('/nonexistent-root', env),
  };
}

function setupFor(file: string): EvaluationSetup {
  const guess = guessSetup(['show-definition', file], {}, cwd);
  if (guess === undefined) expect.fail('expected a head start for a plain show-definition');
  return guess.setup;
}

describe('Jsonnet head start: guessing the set-up from the command line', () => {
  it('knows the built-in providers without loading them', () => {
    expect(BUILTIN_PROVIDER_TYPES).to.deep.equal(builtinProviders().map((p) => p.type));
  });

  it('starts for one definition of a command that evaluates it, with placeholders where the command reads none', () => {
    const guess = guessSetup(['show-definition', 'apps/web.jsonnet', '--format', 'yaml'], { PATH: '/bin' }, '/work');
    expect(guess?.setup).to.deep.equal({
      file: 'apps/web.jsonnet',
      cwd: '/work',
      appId: 'web',
      jpath: [],
      extStr: [],
      extCode: [],
      natives: nativeSignatures(BUILTIN_PROVIDER_TYPES),
    });
    expect(guess?.speculation).to.deep.equal({ placeholders: true, env: { PATH: '/bin' } });
    // deploy reads provider values: its provide.* calls wait for the real evaluation.
    expect(guessSetup(['deploy', 'web.json', '--tag', 'v1'], {}, '/w')?.speculation.placeholders).to.equal(false);
    expect(guessSetup(['show-definition', '--expand', 'web.jsonnet'], {}, '/w')?.speculation.placeholders).to.equal(false);
    expect(guessSetup(['show-definition', 'web.jsonnet', '--envfile', 'prod.env'], {}, '/w')?.speculation.env).to.equal(undefined);
    // oneshot's command after `--` is not a definition.
    expect(guessSetup(['oneshot', 'web.jsonnet', '--', 'node', 'seed.json'], {}, '/w')?.setup.file).to.equal('web.jsonnet');
  });

  it('does not start when the guess could not be the evaluation', () => {
    const none = (argv: string[], env: NodeJS.ProcessEnv = {}): void => {
      expect(guessSetup(argv, env, '/w'), argv.join(' ')).to.equal(undefined);
    };
    none([]);
    none(['init', 'web.jsonnet']);
    none(['show-definition', 'web.yml']);
    none(['show-definition', 'apps/']);
    none(['deploy', 'a.jsonnet', 'b.jsonnet']);
    none(['show-definition', '-J', 'lib', 'web.jsonnet']);
    none(['show-definition', '--jpath=lib', 'web.jsonnet']);
    none(['deploy', '--ext-str', 'env=prod', 'web.jsonnet']);
    none(['deploy', '--ext-code=x=1', 'web.jsonnet']);
    none(['deploy', '--plugin', './p.mjs', 'web.jsonnet']);
    none(['deploy', 'web.jsonnet'], { HAKO_PLUGINS: './p.mjs' });
  });
});

describe('Jsonnet head start: adoption', () => {
  afterEach(async () => {
    expect(await discardHeadStart(5_000)).to.equal(true);
  });

  it('is adopted by the evaluation set up alike, and gives what a fresh evaluation gives', async () => {
    const fresh = await evaluateDefinition(evaluateOptions('placeholder'));
    const guess = guessSetup(['show-definition', provideFixture], {}, cwd)!;
    await startHeadStart(guess.setup, guess.speculation);
    const implementations = new Map<string, NativeImplementation>();
    // Placeholder answers are what the real placeholder mode gives: the head start's own answers match.
    for (const [name] of guess.setup.natives) implementations.set(name, (_options, key) => `\${${String(key)}}`);
    const adopted = await adoptHeadStart(guess.setup, implementations);
    expect(adopted, 'adopted').to.not.equal(undefined);
    expect(JSON.parse(await adopted!.evaluation)).to.deep.equal(fresh.raw);
  });

  it('is discarded when the set-up differs, and then the evaluation is the fresh one', async () => {
    const guess = guessSetup(['show-definition', provideFixture], {}, cwd)!;
    await startHeadStart(guess.setup, guess.speculation);
    expect(await adoptHeadStart({ ...guess.setup, extStr: [['env', 'prod']] }, new Map())).to.equal(undefined);
    // Taken once: nothing is left to adopt.
    expect(await adoptHeadStart(guess.setup, new Map())).to.equal(undefined);
  });

  it('is discarded when one of its own answers is not the real one (placeholders guessed, values read)', async () => {
    // The guess said placeholders; the evaluation that comes is a deploy's, which reads the values.
    const guess = guessSetup(['show-definition', provideFixture], {}, cwd)!;
    await startHeadStart(guess.setup, guess.speculation);
    const { raw } = await evaluateDefinition(evaluateOptions('expand'));
    expect(raw).to.deep.include({ username: 'eagletmt', again: 'eagletmt' });
  });

  it('is adopted through evaluateDefinition when the guess was right', async () => {
    const guess = guessSetup(['show-definition', provideFixture], {}, cwd)!;
    await startHeadStart(guess.setup, guess.speculation);
    const { raw } = await evaluateDefinition(evaluateOptions('placeholder'));
    expect(raw).to.deep.include({ username: '${username}', again: '${username}' });
  });

  it('refuses the native calls of a head start nobody adopted, so it ends by itself', async () => {
    // No speculation at all: its first provider call waits for a binding that never comes but for the refusal.
    await startHeadStart(setupFor(provideFixture), { placeholders: false });
    expect(await discardHeadStart(5_000)).to.equal(true);
  });
});
