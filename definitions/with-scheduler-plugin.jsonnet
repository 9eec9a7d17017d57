// A definition run by a third-party scheduler plugin (definitions/plugins/print-scheduler.mjs) instead of ECS:
// `scheduler.type` is the module path, relative to this file; the other `scheduler` keys are the plugin's,
// validated by its schema. `hako deploy` prints the containers; nothing touches AWS.
{
  scheduler: { type: './plugins/print-scheduler.mjs', label: 'demo' },
  app: { image: 'busybox', tag: '1.36', cpu: 32, memory: 64, command: ['sleep', '3600'] },
  sidecars: {
    redis: { image_tag: 'redis:7', cpu: 32, memory: 64 },
  },
}
