import type { EnvProvider } from './provider.js';

/**
 * A provider answering from a key → value map read once per run, lazily (constructing a provider must not touch
 * the outside world). The file and yaml providers differ only in how they read the map.
 */
export abstract class KeyValueProvider implements EnvProvider {
  #entries: Promise<Map<string, string>> | undefined;

  protected abstract read(): Promise<Map<string, string>>;

  #load(): Promise<Map<string, string>> {
    this.#entries ??= this.read();
    return this.#entries;
  }

  async ask(names: readonly string[]): Promise<Record<string, string>> {
    const entries = await this.#load();
    const result: Record<string, string> = {};
    for (const name of names) {
      const value = entries.get(name);
      if (value !== undefined) result[name] = value;
    }
    return result;
  }

  async askKeys(names: readonly string[]): Promise<string[]> {
    const entries = await this.#load();
    return names.filter((n) => entries.has(n));
  }
}
