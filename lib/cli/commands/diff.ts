import { awsFor } from '../aws.js';
import { definitionSource, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import { printPlan } from '../render/plan-output.js';
import type { CliCommand } from './command.js';

/** `diff` exits with this when live state differs from the definition (like `diff(1)` returning 1, but distinct from errors). */
export const DIFF_EXIT_CODE = 16;

interface Args extends DefinitionArgs {
  tag?: string;
}

export const diffCommand: CliCommand = {
  command: 'diff <file>',
  describe: `Show what deploy would change (exit 0: no changes, ${DIFF_EXIT_CODE}: changes, 1: error)`,
  builder: (y) =>
    withDefinitionOptions(y)
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container (overrides app.tag)' })
      .example('hako diff app.jsonnet', 'Coloured unified diffs of what deploy would change')
      .example('hako diff app.jsonnet > plan.txt || [ $? -eq 16 ]', 'Save the plan; exit 16 only means "changes"')
      .example('hako diff --output json app.jsonnet | jq .summary', 'The plan as one JSON document'),
  async run(args: Args, { io, env }) {
    const [{ planDeploy }, { hasChanges }] = await Promise.all([import('../../actions/deploy.js'), import('../../plan/plan.js')]);
    const { plan, displayPlan } = await planDeploy({ source: definitionSource(args, env), io, awsFor, tag: args.tag, dryRun: true });
    await printPlan(io, displayPlan);
    return hasChanges(plan) ? DIFF_EXIT_CODE : 0;
  },
};
