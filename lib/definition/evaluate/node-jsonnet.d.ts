// @hanazuki/node-jsonnet ships types/index.d.ts but its package.json `exports` has no `types` condition, so
// NodeNext resolution cannot see them. This declares the part of its API hako uses (same signatures).
declare module '@hanazuki/node-jsonnet' {
  export type JsonnetPrimitiveValue = null | boolean | number | string;

  export class JsonnetError extends Error {}

  export class Jsonnet {
    static readonly version: string;
    constructor();
    maxStack(value: number): this;
    maxTrace(value: number): this;
    extString(key: string, value: string): this;
    extCode(key: string, value: string): this;
    tlaString(key: string, value: string): this;
    tlaCode(key: string, value: string): this;
    addJpath(path: string): this;
    nativeCallback(name: string, fun: (...args: JsonnetPrimitiveValue[]) => unknown, ...params: string[]): this;
    evaluateFile(filename: string): Promise<string>;
    evaluateSnippet(snippet: string, filename?: string): Promise<string>;
  }
}
