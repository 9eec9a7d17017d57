// An example third-party script plugin: it validates its own options and announces deploys through hako's
// IoHost. Use it with `{ type: './plugins/deploy-notice.mjs', channel: '#deploys' }` in `scripts` (the path is
// relative to the definition file). It imports zod from hako, which works wherever the plugin lives (README,
// "Writing a plugin").
import { z } from 'hako-ecs';

/** @type {import('hako-ecs').ScriptPlugin<{ channel: string; mention?: string }>} */
const plugin = {
  type: 'deploy-notice',
  configSchema: z.strictObject({
    channel: z.string().regex(/^#[a-z0-9-]+$/, 'a channel name such as #deploys'),
    mention: z.string().optional(),
  }),
  create(config, context) {
    const say = (message) => context.io.notify({ level: 'info', code: 'deploy-notice.message', message: `[${config.channel}] ${message}` });
    return {
      async deployStarting(model) {
        say(`${config.mention ? `${config.mention} ` : ''}deploying ${model.id} (${model.containers[0].image})`);
      },
      async deployFinished(model) {
        say(`${model.id} deployed`);
      },
      async deployFailed(model, info) {
        say(`${model.id} failed: ${info.reason}`);
      },
    };
  },
};

export default plugin;
