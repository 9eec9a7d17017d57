// An example third-party scheduler plugin: instead of running anything, it "deploys" by printing the app's
// containers through hako's IoHost. Use it with `scheduler: { type: './plugins/print-scheduler.mjs', label: 'demo' }`
// (the path is relative to the definition file).
//
// It follows the scheduler contract like the built-in ECS scheduler: `planDeploy` observes (here: nothing to
// observe) and returns steps — plain data that `hako diff` and `--dry-run` render and never apply — and `apply`
// carries out one step when hako's executor hands it over. It implements deploy and status only, so
// `hako oneshot`, `rollback`, `stop` and `remove` report that this scheduler does not support them.
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
      async planDeploy(model) {
        const containers = model.containers.map((c) => ({ name: c.name, image: c.image }));
        return [
          {
            owner: 'print',
            kind: 'print-containers',
            action: 'create',
            resource: `app ${model.id}`,
            title: `Print the ${containers.length} container(s) of ${model.id}`,
            after: containers,
            payload: { app: model.id, containers },
          },
        ];
      },
      async apply(step) {
        for (const c of step.payload.containers) say(`${step.payload.app}: ${c.name} ${c.image}`);
      },
      async status(model) {
        const text = `${model.id} (${config.label}): ${model.containers.map((c) => c.name).join(', ')}`;
        return { exists: true, text, data: { app: model.id, label: config.label, containers: model.containers.map((c) => c.name) } };
      },
    };
  },
};

export default plugin;
