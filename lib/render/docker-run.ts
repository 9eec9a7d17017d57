/**
 * The `docker volume create` and `docker run` lines that run an app's containers locally (hako §4.7): what
 * `show-definition --format docker` and `oneshot --dry-run` print. Pure: it reads only the container model.
 *
 * hako's order of flags is kept; what differs, on purpose:
 * - every word is shell-quoted (shell-quote.ts), so values with spaces, quotes, `$` or newlines survive `sh`;
 * - an entry point of several elements becomes `--entrypoint <first>` with the rest put before the command, which
 *   is what ECS runs (docker's --entrypoint takes one executable; hako joined them into one unrunnable word);
 * - `--workdir`, `--ulimit` and `--add-host` are rendered (after `--sysctl`): without them the container does not
 *   run as it does on ECS;
 * - a port without a host port publishes to a host port docker picks (`--publish 80`, hako: `--publish :80`);
 *   udp ports say so (`--publish 53:53/udp`);
 * - a device with no permissions gets no trailing `:` (hako §8.6);
 * - in a oneshot, `-e` applies to `app` only, as the real run does (hako printed it on every container).
 */
import type { Container, VolumeModel, DeepReadonly } from '../definition/model.js';
import { shellQuote } from './shell-quote.js';

/** The docker label hako adds to every container; it says nothing about running the container locally. */
const VERSION_LABEL = 'cc.wanko.hako.version';

/** hako's line continuation: a backslash, a newline and an indent (joined with spaces, lines start with 3). */
const CONTINUATION = '\\\n  ';

export interface DockerRunOneshot {
  /** Replaces `app`'s command. */
  readonly command: readonly string[];
  /** `-e NAME=VAL` (a value may be absent: docker passes the caller's own through), for `app` only. */
  readonly env: readonly { readonly name: string; readonly value?: string }[];
  readonly overrides: { readonly cpu?: number; readonly memory?: number; readonly memoryReservation?: number };
}

export interface DockerRunOptions {
  /** Render the oneshot: its command, `-e` and resource overrides on `app`. */
  readonly oneshot?: DockerRunOneshot;
  /**
   * Applied to every env value before quoting, so that provider values (secrets) can be masked when the model
   * holds real values (oneshot dry runs read them to compare with the live revision).
   */
  readonly mask?: (value: string) => string;
}

/** What the renderer needs of an app: its containers, in order, and its volumes. */
export interface DockerApp {
  readonly containers: readonly Container[];
  readonly volumes: readonly DeepReadonly<VolumeModel>[];
}

/** `docker volume create` per volume docker does not provide by itself (§4.7.1). */
export function dockerVolumeCommands(app: DockerApp): string[] {
  const lines: string[] = [];
  for (const v of app.volumes) {
    const docker = v.docker_volume_configuration;
    if (docker?.autoprovision || v.efs_volume_configuration || v.host?.source_path) continue;
    const words = ['docker', 'volume', 'create'];
    if (docker?.driver) words.push('--driver', docker.driver);
    for (const [k, val] of Object.entries(docker?.driver_opts ?? {})) words.push('--opt', `${k}=${val}`);
    for (const [k, val] of Object.entries(docker?.labels ?? {})) words.push('--label', `${k}=${val}`);
    words.push(v.name);
    lines.push(words.map(shellQuote).join(' '));
  }
  return lines;
}

/** A token of the line: a word to quote, or hako's continuation (never quoted). */
type Token = { readonly word: string } | { readonly continuation: true };

function words(...ws: (string | number)[]): Token[] {
  return ws.map((w) => ({ word: String(w) }));
}

const PERMISSION_LETTER = { read: 'r', write: 'w', mknod: 'm' } as const;

function healthCheckTokens(container: Container): Token[] {
  const hc = container.health_check;
  if (hc === undefined) return [];
  const [kind, ...rest] = hc.command;
  if (kind === 'NONE') return words('--no-healthcheck');
  // CMD-SHELL's rest is a shell command already; CMD's are exec words, quoted so that a shell reads them back.
  const cmd = kind === 'CMD' ? rest.map(shellQuote).join(' ') : rest.join(' ');
  const out = words('--health-cmd', cmd, '--health-retries', hc.retries, '--health-interval', `${hc.interval}s`, '--health-timeout', `${hc.timeout}s`);
  if (hc.start_period !== undefined) out.push(...words('--health-start-period', `${hc.start_period}s`));
  return out;
}

function volumeSource(app: DockerApp, name: string): string {
  const volume = app.volumes.find((v) => v.name === name);
  return volume?.host?.source_path ?? name;
}

/** The `docker run` line of one container (§4.7.2 with the differences listed at the top). */
export function dockerRunCommand(app: DockerApp, container: Container, options: DockerRunOptions = {}): string {
  const oneshot = container.name === 'app' ? options.oneshot : undefined;
  const mask = options.mask ?? ((v: string) => v);
  const t: Token[] = words('docker', 'run', '--name', container.name);

  const cpu = oneshot?.overrides.cpu ?? container.cpu;
  const memory = oneshot?.overrides.memory ?? container.memory;
  const reservation = oneshot?.overrides.memoryReservation ?? container.memory_reservation;
  t.push(...words('--cpu-shares', cpu));
  if (memory !== undefined) t.push(...words('--memory', `${memory}M`));
  if (reservation !== undefined) t.push(...words('--memory-reservation', `${reservation}M`));

  for (const link of container.links) t.push(...words('--link', link));
  for (const p of container.port_mappings) {
    const udp = p.protocol === 'udp' ? '/udp' : '';
    const host = p.host_port === undefined || p.host_port === 0 ? '' : `${p.host_port}:`;
    t.push(...words('--publish', `${host}${p.container_port}${udp}`));
  }
  for (const [k, v] of Object.entries(container.docker_labels)) if (k !== VERSION_LABEL) t.push(...words('--label', `${k}=${v}`));
  for (const m of container.mount_points) {
    t.push(...words('--volume', `${volumeSource(app, m.source_volume)}:${m.container_path}${m.read_only ? ':ro' : ''}`));
  }
  for (const v of container.volumes_from) t.push(...words('--volumes-from', `${v.source_container}${v.read_only ? ':ro' : ''}`));
  if (container.privileged) t.push(...words('--privileged'));

  const lp = container.linux_parameters;
  for (const c of lp?.capabilities?.add ?? []) t.push(...words(`--cap-add=${c}`));
  for (const c of lp?.capabilities?.drop ?? []) t.push(...words(`--cap-drop=${c}`));
  for (const d of lp?.devices ?? []) {
    const perms = d.permissions.map((p) => PERMISSION_LETTER[p]).join('');
    t.push(...words(`--device=${d.host_path}${d.container_path ? `:${d.container_path}` : ''}${perms ? `:${perms}` : ''}`));
  }
  if (lp?.init_process_enabled) t.push(...words('--init'));
  if (lp?.shared_memory_size !== undefined) t.push(...words('--shm-size', `${lp.shared_memory_size}m`));
  for (const tmpfs of lp?.tmpfs ?? []) {
    t.push(...words('--tmpfs', `${tmpfs.container_path}:${[`size=${tmpfs.size}m`, ...tmpfs.mount_options].join(',')}`));
  }

  if (container.user !== undefined) t.push(...words('--user', container.user));
  if (container.readonly_root_filesystem) t.push(...words('--read-only'));
  for (const o of container.docker_security_options ?? []) t.push(...words('--security-opt', o));
  const [entry, ...entryRest] = container.entry_point ?? [];
  if (entry !== undefined) t.push(...words('--entrypoint', entry));
  for (const s of container.system_controls ?? []) t.push(...words('--sysctl', `${s.namespace}=${s.value}`));
  if (container.working_directory !== undefined) t.push(...words('--workdir', container.working_directory));
  for (const u of container.ulimits ?? []) t.push(...words('--ulimit', `${u.name}=${u.soft_limit}:${u.hard_limit}`));
  for (const h of container.extra_hosts ?? []) t.push(...words('--add-host', `${h.hostname}:${h.ip_address}`));
  t.push(...healthCheckTokens(container));
  t.push({ continuation: true });

  const cliEnv = oneshot?.env ?? [];
  const overridden = new Set(cliEnv.map((e) => e.name));
  for (const e of container.env) {
    if (!overridden.has(e.name)) t.push(...words('--env', `${e.name}=${mask(e.value)}`), { continuation: true });
  }
  for (const s of container.secrets ?? []) {
    if (!overridden.has(s.name)) t.push(...words('--env', `${s.name}=secret:${s.value_from}`), { continuation: true });
  }
  for (const e of cliEnv) t.push(...words('--env', e.value === undefined ? e.name : `${e.name}=${e.value}`), { continuation: true });

  t.push(...words(container.image));
  const command = oneshot?.command ?? container.command ?? [];
  const args = [...entryRest, ...command];
  if (args.length > 0) t.push({ continuation: true }, ...words(...args));
  return t.map((token) => ('word' in token ? shellQuote(token.word) : CONTINUATION)).join(' ');
}

/** Every line: the volumes, then one `docker run` per container in the app's order. */
export function dockerCommands(app: DockerApp, options: DockerRunOptions = {}): string[] {
  return [...dockerVolumeCommands(app), ...app.containers.map((c) => dockerRunCommand(app, c, options))];
}
