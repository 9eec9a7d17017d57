// A definition using a third-party script plugin (definitions/plugins/deploy-notice.mjs), resolved relative to
// this file. Packages work the same way: `type: 'hako-plugin-foo'` resolves from this directory's node_modules.
{
  scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'hako-demo', desired_count: 1 },
  app: { image: 'busybox', tag: '1.36', cpu: 32, memory: 64, command: ['sleep', '3600'] },
  scripts: [{ type: './plugins/deploy-notice.mjs', channel: '#deploys' }],
}
