/**
 * Runs a real `nginx -t` on a rendered front configuration, so the configs hako uploads are known to load in the
 * nginx the front container runs, not merely to look right.
 *
 * The server block is tested exactly as rendered, wrapped in a minimal main config (`events {}` and an `http {}`
 * that only redirects log and temp paths into the temp dir and includes the block): no resolver, no upstream.
 *
 * Name resolution. nginx resolves a literal `proxy_pass` host while loading the config (an implicit upstream), so
 * `proxy_pass http://backend:3000;` fails `nginx -t` with `host not found in upstream "backend"` on a machine
 * where `backend` does not resolve. An `upstream backend {}` block cannot stand in for it (nginx rejects it:
 * `upstream "backend" may not have port 3000`), and rewriting the host would test a different file. In the front
 * container, the ECS link `app:backend` makes `backend` resolvable by writing it into the container's /etc/hosts.
 * This helper reproduces exactly that: when a proxied host does not resolve, nginx runs in a private mount
 * namespace where a copy of /etc/hosts with `127.0.0.1 <host>` added is bind-mounted over /etc/hosts. Nothing
 * outside that namespace changes.
 *
 * Port 80. `nginx -t` binds the listen sockets (only "address in use" is tolerated), so a non-root user cannot
 * test `listen 80;` directly; it runs in a user + mount + network namespace (`unshare -rmn`) where it is root.
 * Root uses `unshare -m` only when a host needs resolving, and plain `nginx -t` otherwise.
 * When no mode fits (no namespaces and a name to resolve or a port to bind), the check is unavailable and says why.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface NginxTestResult {
  /** `nginx -t` exited 0. */
  readonly ok: boolean;
  /** nginx's stderr and stdout (the `syntax is ok` / `[emerg] …` lines). */
  readonly output: string;
  /** How proxied host names were made resolvable. */
  readonly mode: 'direct' | 'namespace';
}

export class NginxUnavailableError extends Error {}

type NamespaceKind = 'root' | 'user';

function run(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', (e) => resolve({ code: -1, output: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** The nginx binary: PATH first, then the sbin directories that non-login PATHs often omit. */
export function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

let namespaceProbe: Promise<NamespaceKind | undefined> | undefined;

/** `unshare` flags per namespace kind. A non-root user also needs its own network namespace to bind port 80. */
const UNSHARE_FLAGS: Record<NamespaceKind, string> = { root: '-m', user: '-rmn' };

/** Whether this machine lets us make a private mount namespace (cached). */
export function namespaceSupport(): Promise<NamespaceKind | undefined> {
  namespaceProbe ??= (async () => {
    const kinds: NamespaceKind[] = process.getuid?.() === 0 ? ['root', 'user'] : ['user'];
    for (const kind of kinds) {
      // Probe the whole trick (a bind mount over a file), not just namespace creation.
      const r = await run('unshare', [UNSHARE_FLAGS[kind], 'sh', '-c', 'mount --bind /etc/hosts /etc/hosts']);
      if (r.code === 0) return kind;
    }
    return undefined;
  })();
  return namespaceProbe;
}

async function unprivilegedPortStart(): Promise<number> {
  const text = await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').catch(() => '1024');
  return Number(text.trim()) || 1024;
}

type Mode = { readonly kind: 'direct' } | { readonly kind: 'namespace'; readonly ns: NamespaceKind } | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * How to run `nginx -t`: directly when the proxied hosts resolve and nginx may bind port 80 (`nginx -t` binds the
 * listen sockets; only "address in use" is tolerated), else in a namespace, else not at all.
 */
async function chooseMode(missing: string[]): Promise<Mode> {
  const isRoot = process.getuid?.() === 0;
  const canBind80 = isRoot || (await unprivilegedPortStart()) <= 80;
  if (missing.length === 0 && canBind80) return { kind: 'direct' };
  const ns = await namespaceSupport();
  if (ns) return { kind: 'namespace', ns };
  const problems = [
    ...(missing.length > 0 ? [`the proxied host(s) ${missing.join(', ')} do not resolve`] : []),
    ...(canBind80 ? [] : ['a non-root user cannot bind port 80, which nginx -t does']),
  ];
  return {
    kind: 'unavailable',
    reason:
      `${problems.join(' and ')}, and no private namespace can be created (unshare -m as root, unshare -rmn otherwise) ` +
      `to run nginx as an ECS container would; run as root, allow unprivileged user namespaces` +
      (missing.length > 0 ? `, or add "127.0.0.1 ${missing.join(' ')}" to /etc/hosts` : ''),
  };
}

/** Host names in `proxy_pass` lines that are names (not IP literals). */
export function proxiedHosts(serverBlock: string): string[] {
  const hosts = new Set<string>();
  for (const m of serverBlock.matchAll(/proxy_pass\s+https?:\/\/([^:/;\s]+)/g)) {
    if (m[1] && isIP(m[1]) === 0) hosts.add(m[1]);
  }
  return [...hosts];
}

async function unresolved(hosts: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const host of hosts) {
    try {
      await lookup(host);
    } catch {
      missing.push(host);
    }
  }
  return missing;
}

/**
 * Why `nginx -t` cannot run here for configs proxying to `hosts` (default: the `backend` link), or undefined
 * when it can.
 */
export async function nginxUnavailableReason(hosts: string[] = ['backend']): Promise<string | undefined> {
  if (!findNginx()) {
    return 'nginx is not installed (apt-get install -y nginx-light, or nginx); it is needed to check generated front configs with `nginx -t`';
  }
  const mode = await chooseMode(await unresolved(hosts));
  return mode.kind === 'unavailable' ? mode.reason : undefined;
}

/**
 * For a mocha `before` hook: fails under CI (a missing nginx there is a broken pipeline, not a reason to pass)
 * and skips with a visible reason elsewhere.
 */
export async function requireNginx(context: Mocha.Context, hosts?: string[]): Promise<void> {
  const reason = await nginxUnavailableReason(hosts);
  if (reason === undefined) return;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`nginx -t check unavailable under CI: ${reason}`);
  process.stderr.write(`      SKIPPED nginx -t checks: ${reason}\n`);
  context.skip();
}

let withoutModules: Promise<Set<string>> | undefined;

/** Modules compiled out (`--without-http_fastcgi_module` …): their temp-path directives would be unknown. */
function compiledOut(nginx: string): Promise<Set<string>> {
  withoutModules ??= new Promise((resolve) => {
    execFile(nginx, ['-V'], (_e, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      resolve(new Set([...text.matchAll(/--without-http_(\w+)_module/g)].map((m) => m[1] ?? '')));
    });
  });
  return withoutModules;
}

/** Runs `nginx -t` on the server block as rendered (see the file comment for how host names resolve). */
export async function nginxConfigTest(serverBlock: string): Promise<NginxTestResult> {
  const nginx = findNginx();
  if (!nginx) throw new NginxUnavailableError('nginx is not installed');
  const dir = await mkdtemp(path.join(tmpdir(), 'hako-nginx-'));
  try {
    const serverFile = path.join(dir, 'front.conf');
    await writeFile(serverFile, serverBlock);
    const out = await compiledOut(nginx);
    // Temp and log paths inside the temp dir: nginx -t creates (and as root chowns) them, and must not touch
    // the system's. `user root` lets the chown succeed inside a user namespace where only root is mapped.
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].filter((m) => m === 'client_body' || !out.has(m));
    const main = [
      'events {}',
      'http {',
      '  access_log off;',
      ...temps.map((m) => `  ${m}_temp_path ${path.join(dir, m)};`),
      `  include ${serverFile};`,
      '}',
      '',
    ].join('\n');
    const mainFile = path.join(dir, 'nginx.conf');
    await writeFile(mainFile, main);
    const missing = await unresolved(proxiedHosts(serverBlock));
    const mode = await chooseMode(missing);
    if (mode.kind === 'unavailable') throw new NginxUnavailableError(mode.reason);
    const userNs = mode.kind === 'namespace' && mode.ns === 'user';
    const globals = `pid ${path.join(dir, 'nginx.pid')}; error_log stderr;${userNs ? ' user root;' : ''}`;
    const nginxArgs = ['-t', '-e', 'stderr', '-p', dir, '-c', mainFile, '-g', globals];
    if (mode.kind === 'direct') {
      const r = await run(nginx, nginxArgs);
      return { ok: r.code === 0, output: r.output, mode: 'direct' };
    }
    const hostsFile = path.join(dir, 'hosts');
    const systemHosts = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1 localhost\n');
    const extra = missing.length > 0 ? `127.0.0.1 ${missing.join(' ')}\n` : '';
    await writeFile(hostsFile, `${systemHosts.replace(/\n?$/, '\n')}${extra}`);
    const script = 'mount --bind "$1" /etc/hosts && shift && exec "$@"';
    const r = await run('unshare', [UNSHARE_FLAGS[mode.ns], 'sh', '-c', script, 'sh', hostsFile, nginx, ...nginxArgs]);
    return { ok: r.code === 0, output: r.output, mode: 'namespace' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
