import { awsFor } from '../aws.js';
import { planResult, type AppContext, type AppOutcome } from '../fleet/app-task.js';
import { withFleetOptions } from '../fleet/options.js';
import { runDefinitions } from '../fleet/run-definitions.js';
import { definitionSource, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

/** `diff` exits with this when live state differs from the definition (like `diff(1)` returning 1, but distinct from errors). */
export const DIFF_EXIT_CODE = 16;

interface Args extends DefinitionArgs {
  tag?: string;
}

async function diffOne(args: Args, app: AppContext): Promise<AppOutcome> {
  const [{ planDeploy }, { hasChanges }] = await Promise.all([import('../../actions/deploy.js'), import('../../plan/plan.js')]);
  const { plan, displayPlan } = await planDeploy({ source: definitionSource(args, app.env), io: app.io, awsFor, tag: args.tag, dryRun: true });
  const changes = hasChanges(plan);
  return { exitCode: changes ? DIFF_EXIT_CODE : 0, result: changes ? 'changes' : 'no changes', ...(await planResult(displayPlan, app.color)) };
}

export const diffCommand: CliCommand = {
  command: 'diff <file..>',
  describe: `Show what deploy would change (exit 0: no changes, ${DIFF_EXIT_CODE}: changes, 1: error)`,
  builder: (y) =>
    withFleetOptions(y)
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container (overrides app.tag)' })
      .example('hako diff app.jsonnet', 'Coloured unified diffs of what deploy would change')
      .example('hako diff app.jsonnet > plan.txt || [ $? -eq 16 ]', 'Save the plan; exit 16 only means "changes"')
      .example('hako diff --output json app.jsonnet | jq .summary', 'The plan as one JSON document')
      .example('hako diff apps/', 'Every definition in apps/: exit 16 when any app would change (and none failed)'),
  run: (args, context) => runDefinitions(args, context, { name: 'diff', task: diffOne }),
};
