import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { dockerCommands, dockerRunCommand, dockerVolumeCommands, type DockerApp } from '../../../lib/render/docker-run.js';
import { shellQuote } from '../../../lib/render/shell-quote.js';
import type { ContainerModel, VolumeModel } from '../../../lib/definition/model.js';
import { container } from '../../helpers/model-builders.js';

/**
 * The words `sh` reads from a printed line: the leading `docker` is swapped for `printf '%s\0'`, so the shell
 * itself undoes the quoting and the continuations, and prints each word NUL-terminated.
 */
function shellWords(line: string): string[] {
  expect(line.startsWith('docker ')).to.equal(true);
  const script = `printf '%s\\0' ${line.slice('docker '.length)}`;
  const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** `sh -n`: the printed text parses as shell (no command is run). */
function shellParses(text: string): void {
  execFileSync('sh', ['-n'], { input: text });
}

function app(containers: ContainerModel[], volumes: VolumeModel[] = []): DockerApp {
  return { containers, volumes };
}

const NASTY = [
  'two words',
  "it's",
  'say "hi"',
  '$HOME and ${PATH} and $(rm -rf /) and `id`',
  'line one\nline two',
  'semi;colon & amp | pipe > out < in',
  '*.glob ?x [a]',
  '#not-a-comment',
  '~tilde',
  'back\\slash',
  '',
  'tab\there',
  "quote ' in ' middle",
];

describe('render: shellQuote', () => {
  it('leaves plain words alone and quotes everything else so that sh reads it back exactly', () => {
    expect(shellQuote('--env')).to.equal('--env');
    expect(shellQuote('PORT=3000')).to.equal('PORT=3000');
    expect(shellQuote('ryotarai/hello-sinatra:latest')).to.equal('ryotarai/hello-sinatra:latest');
    expect(shellQuote('')).to.equal("''");
    const words = shellWords(`docker ${NASTY.map(shellQuote).join(' ')}`);
    expect(words).to.deep.equal(NASTY);
  });
});

describe('render: docker run lines (hako §4.7)', () => {
  it("renders hako's order with its continuation lines", () => {
    const c = container('app', {
      image: 'ryotarai/hello-sinatra:latest',
      cpu: 256,
      memory: 128,
      memory_reservation: 64,
      links: ['redis:redis'],
      port_mappings: [{ container_port: 3000, host_port: 3000, protocol: 'tcp' }],
      docker_labels: { team: 'web', 'cc.wanko.hako.version': '1' },
      env: [{ name: 'PORT', value: '3000' }],
      secrets: [{ name: 'DB_PASSWORD', value_from: 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/db' }],
      command: ['bundle', 'exec', 'rackup'],
    });
    expect(dockerRunCommand(app([c]), c)).to.equal(
      [
        'docker run --name app --cpu-shares 256 --memory 128M --memory-reservation 64M --link redis:redis --publish 3000:3000 --label team=web \\',
        '   --env PORT=3000 \\',
        '   --env DB_PASSWORD=secret:arn:aws:ssm:ap-northeast-1:123456789012:parameter/db \\',
        '   ryotarai/hello-sinatra:latest \\',
        '   bundle exec rackup',
      ].join('\n'),
    );
  });

  it('renders every option hako knows, in its order, and sh reads back the model', () => {
    const c = container('app', {
      image: 'example/app:1',
      cpu: 10,
      links: ['db'],
      port_mappings: [
        { container_port: 80, protocol: 'tcp' },
        { container_port: 53, host_port: 53, protocol: 'udp' },
      ],
      mount_points: [
        { source_volume: 'data', container_path: '/data', read_only: true },
        { source_volume: 'host', container_path: '/host', read_only: false },
      ],
      volumes_from: [{ source_container: 'db', read_only: true }],
      privileged: true,
      linux_parameters: {
        capabilities: { add: ['NET_ADMIN'], drop: ['MKNOD'] },
        devices: [
          { host_path: '/dev/fuse', container_path: '/dev/fuse', permissions: ['read', 'write', 'mknod'] },
          { host_path: '/dev/null', permissions: [] },
        ],
        init_process_enabled: true,
        shared_memory_size: 64,
        tmpfs: [{ container_path: '/tmp', size: 32, mount_options: ['noexec'] }],
      },
      user: 'nobody',
      readonly_root_filesystem: true,
      docker_security_options: ['no-new-privileges'],
      entry_point: ['/bin/sh', '-c'],
      system_controls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      working_directory: '/srv/app dir',
      ulimits: [{ name: 'nofile', soft_limit: 1024, hard_limit: 4096 }],
      extra_hosts: [{ hostname: 'db.local', ip_address: '10.0.0.1' }],
      health_check: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 30, timeout: 5, retries: 3, start_period: 10 },
      command: ['echo "$GREETING"; exit 0'],
    });
    const volumes: VolumeModel[] = [{ name: 'data' }, { name: 'host', host: { source_path: '/var/lib/x' } }];
    const line = dockerRunCommand(app([c], volumes), c);
    shellParses(line);
    expect(shellWords(line)).to.deep.equal([
      'run', '--name', 'app', '--cpu-shares', '10',
      '--link', 'db',
      '--publish', '80', '--publish', '53:53/udp',
      '--volume', 'data:/data:ro', '--volume', '/var/lib/x:/host',
      '--volumes-from', 'db:ro',
      '--privileged',
      '--cap-add=NET_ADMIN', '--cap-drop=MKNOD', '--device=/dev/fuse:/dev/fuse:rwm', '--device=/dev/null',
      '--init', '--shm-size', '64m', '--tmpfs', '/tmp:size=32m,noexec',
      '--user', 'nobody', '--read-only', '--security-opt', 'no-new-privileges', '--entrypoint', '/bin/sh',
      '--sysctl', 'net.core.somaxconn=1024', '--workdir', '/srv/app dir', '--ulimit', 'nofile=1024:4096', '--add-host', 'db.local:10.0.0.1',
      '--health-cmd', 'curl -f http://localhost/ || exit 1', '--health-retries', '3', '--health-interval', '30s', '--health-timeout', '5s', '--health-start-period', '10s',
      'example/app:1',
      // The entry point's other elements come before the command, as ECS runs them.
      '-c', 'echo "$GREETING"; exit 0',
    ]);
  });

  it('env values with spaces, quotes, $, newlines and globs survive sh exactly', () => {
    const env = NASTY.map((value, i) => ({ name: `V${i}`, value }));
    const c = container('app', { image: 'img:1', env, command: NASTY });
    const line = dockerRunCommand(app([c]), c);
    shellParses(line);
    const words = shellWords(line);
    const envWords = words.flatMap((w, i) => (words[i - 1] === '--env' ? [w] : []));
    expect(envWords).to.deep.equal(env.map((e) => `${e.name}=${e.value}`));
    expect(words.slice(words.indexOf('img:1') + 1)).to.deep.equal(NASTY);
  });

  it('health checks: CMD words are quoted for the shell docker runs them with; NONE disables it', () => {
    const cmd = container('app', { health_check: { command: ['CMD', 'test', '-f', '/tmp/a file'], interval: 10, timeout: 2, retries: 5 } });
    const words = shellWords(dockerRunCommand(app([cmd]), cmd));
    expect(words[words.indexOf('--health-cmd') + 1]).to.equal("test -f '/tmp/a file'");
    expect(words).to.include.members(['--health-retries', '5', '--health-interval', '10s', '--health-timeout', '2s']);
    const none = container('app', { health_check: { command: ['NONE'], interval: 30, timeout: 5, retries: 3 } });
    expect(shellWords(dockerRunCommand(app([none]), none))).to.include('--no-healthcheck');
  });

  it('volumes: docker creates what it does not provision itself', () => {
    const volumes: VolumeModel[] = [
      { name: 'plain', host: {} },
      { name: 'host', host: { source_path: '/srv' } },
      { name: 'auto', docker_volume_configuration: { autoprovision: true } },
      { name: 'efs', efs_volume_configuration: { file_system_id: 'fs-1' } },
      { name: 'cfg', docker_volume_configuration: { driver: 'local', driver_opts: { type: 'tmpfs', o: 'size=100m,uid=1000' }, labels: { 'a b': 'c' } } },
    ];
    const lines = dockerVolumeCommands(app([], volumes));
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('docker volume create plain');
    expect(shellWords(lines[1]!)).to.deep.equal(['volume', 'create', '--driver', 'local', '--opt', 'type=tmpfs', '--opt', 'o=size=100m,uid=1000', '--label', 'a b=c', 'cfg']);
  });

  it('oneshot: the command, -e and resource overrides apply to app only', () => {
    const appC = container('app', { image: 'img:1', cpu: 128, memory: 256, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], secrets: [{ name: 'S', value_from: 'arn:aws:ssm:r:1:parameter/s' }], command: ['serve'] });
    const side = container('side', { image: 'side:1', env: [{ name: 'A', value: 'side' }] });
    const lines = dockerCommands(app([appC, side]), {
      oneshot: { command: ['rake', 'db:migrate'], env: [{ name: 'A', value: 'x y' }, { name: 'S', value: 'plain' }, { name: 'TERM' }], overrides: { cpu: 512, memoryReservation: 100 } },
    });
    const appWords = shellWords(lines[0]!);
    expect(appWords.slice(0, 9)).to.deep.equal(['run', '--name', 'app', '--cpu-shares', '512', '--memory', '256M', '--memory-reservation', '100M']);
    expect(appWords.filter((_, i) => appWords[i - 1] === '--env')).to.deep.equal(['B=2', 'A=x y', 'S=plain', 'TERM']);
    expect(appWords.slice(-3)).to.deep.equal(['img:1', 'rake', 'db:migrate']);
    const sideWords = shellWords(lines[1]!);
    expect(sideWords.filter((_, i) => sideWords[i - 1] === '--env')).to.deep.equal(['A=side']);
    expect(sideWords.at(-1)).to.equal('side:1');
  });

  it('masks env values through the given function', () => {
    const c = container('app', { env: [{ name: 'TOKEN', value: 'real-secret' }] });
    const words = shellWords(dockerRunCommand(app([c]), c, { mask: (v) => v.replace('real-secret', '${TOKEN}') }));
    expect(words).to.include('TOKEN=${TOKEN}');
  });
});
