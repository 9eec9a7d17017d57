/**
 * `@kubernetes/client-node` stays behind lib/kube: only type imports there, one dynamic import in the factory, and
 * nothing in the CLI bundle (show-definition and every ECS command load none of it).
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/paths.js';

function sources(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full, extension);
    return e.name.endsWith(extension) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** An import of the package (static or dynamic), not a mention in a comment. */
const LOADS = /(?:from\s*|import\s*\(\s*)['"]@kubernetes\/client-node['"]/;

describe('kube: the client library boundary', () => {
  it('is loaded only by lib/kube/factory (compiled lib/: type imports are erased, what remains runs)', () => {
    const loaders = sources(path.join(repoRoot, 'dist', 'lib'), '.js')
      .filter((file) => LOADS.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(path.join(repoRoot, 'dist'), file));
    expect(loaders).to.deep.equal([path.join('lib', 'kube', 'factory.js')]);
    expect(readFileSync(path.join(repoRoot, 'dist', 'lib', 'kube', 'factory.js'), 'utf8')).to.include("await import('@kubernetes/client-node')");
  });

  it('is imported by no source outside lib/kube', () => {
    const outside = sources(path.join(repoRoot, 'lib'), '.ts')
      .filter((file) => !file.startsWith(path.join(repoRoot, 'lib', 'kube') + path.sep))
      .filter((file) => readFileSync(file, 'utf8').includes('@kubernetes/client-node'));
    expect(outside).to.deep.equal([]);
  });

  it('is not in the CLI bundle: only the factory names it, in a chunk reached by dynamic imports alone', function () {
    const bundle = path.join(repoRoot, 'dist', 'bundle');
    if (!existsSync(bundle)) this.skip();
    const chunks = readdirSync(bundle).filter((f) => /\.c?js$/.test(f));
    const text = (file: string) => readFileSync(path.join(bundle, file), 'utf8');
    // The library's own code (its classes) is never bundled; the factory's dynamic import of it stays one.
    for (const file of chunks) expect(text(file), file).not.to.match(/class KubeConfig\b/);
    const naming = chunks.filter((file) => text(file).includes('@kubernetes/client-node'));
    expect(naming, 'chunks that name the client').to.have.length(1);
    // cli.cjs calls its loader's stand-in for import() (lib/cli/bundle-loader.ts), by a name as long.
    expect(text(naming[0]!)).to.include('await __himp("@kubernetes/client-node")');
    // No chunk imports the factory's chunk statically: commands load it when they first talk to a cluster.
    const factory = naming[0]!;
    for (const file of chunks) {
      expect(text(file), file).not.to.match(new RegExp(`from\\s*"\\./${factory.replace('.', '\\.')}"`));
    }
  });
});
