// An example third-party scheduler plugin: instead of running anything, it "deploys" by printing the app's
// containers through hako's IoHost. Use it with `scheduler: { type: './plugins/print-scheduler.mjs', label: 'demo' }`
// (the path is relative to the definition file). It implements deploy and status only, so `hako oneshot`,
// `rollback`, `stop` and `remove` report that this scheduler does not support them.
import { z } from 'zod';

/** @type {import('hako-ecs').SchedulerPlugin<{ label: string }>} */
const plugin = {
  type: 'print',
  configSchema: z.strictObject({
    label: z.string().min(1).default('print'),
  }),
  create(config, context) {
    const say = (message) => context.io.notify({ level: 'info', code: 'print-scheduler.message', message: `[${config.label}] ${message}` });
    return {
      async deploy(model, { dryRun }) {
        const containers = model.containers.map((c) => ({ name: c.name, image: c.image }));
        const step = {
          owner: 'print',
          kind: 'print-containers',
          action: 'create',
          resource: `app ${model.id}`,
          title: `Print the ${containers.length} container(s) of ${model.id}`,
          after: containers,
          payload: {},
        };
        if (!dryRun) for (const c of containers) say(`${model.id}: ${c.name} ${c.image}`);
        return { plan: { steps: [step] } };
      },
      async status(model) {
        return `${model.id} (${config.label}): ${model.containers.map((c) => c.name).join(', ')}`;
      },
    };
  },
};

export default plugin;
