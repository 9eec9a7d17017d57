// A definition whose app env is answered by a third-party env provider plugin
// (definitions/plugins/static-values.mjs), resolved relative to this file. `hako show-definition` leaves
// `#{GREETING}` as written; `--expand` (and deploy) ask the provider.
{
  scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'hako-demo', desired_count: 1 },
  app: {
    image: 'busybox',
    tag: '1.36',
    cpu: 32,
    memory: 64,
    command: ['sh', '-c', 'echo "$MESSAGE"; sleep 3600'],
    env: {
      '$providers': [{ type: './plugins/static-values.mjs', values: { GREETING: 'hello' } }],
      MESSAGE: '#{GREETING}, world',
    },
  },
}
