import { expect } from 'chai';
import path from 'node:path';
import { evaluateDefinition, type EvaluateOptions, type ProviderMode } from '../../../lib/definition/evaluate.js';
import { formatIssue } from '../../../lib/errors.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';
import { definitionErrorOf as evaluationError } from '../../helpers/definition-error.js';

const STATE = fixture('tfstate', 'terraform.tfstate');

function options(file: string, providerMode: ProviderMode, extra: Partial<EvaluateOptions> = {}): EvaluateOptions {
  return { file, providerMode, providers: new ProviderRegistry(builtinProviders()), context: fakeContext('/nonexistent-root'), tfstate: STATE, ...extra };
}

describe('evaluateDefinition: provide.tfstate and std.native(\'tfstate\')', () => {
  it('resolves Terraform values in every mode, keeping only sensitive ones as placeholders without expand', async () => {
    for (const mode of ['placeholder', 'check'] as const) {
      const { raw } = await evaluateDefinition(options(fixture('tfstate', 'natives.jsonnet'), mode));
      expect(raw, mode).to.deep.equal({
        cluster: 'tf-cluster',
        port: '3000',
        subnets: ['subnet-aaa', 'subnet-ccc'],
        first_private: 'subnet-private-0',
        db_password: '${output.db_password}',
      });
    }
  });

  it('expand mode resolves sensitive values too, and only those are revealed for masking', async () => {
    const opts = options(fixture('tfstate', 'natives.jsonnet'), 'expand');
    const { raw } = await evaluateDefinition(opts);
    expect(raw).to.deep.include({ cluster: 'tf-cluster', db_password: 'hunter2-from-terraform' });
    expect([...opts.providers.revealedValues()]).to.deep.equal([['hunter2-from-terraform', 'output.db_password']]);
  });

  it('a missing address is a definition error at the call, naming it and the closest address', async () => {
    const relative = path.relative(process.cwd(), fixture('tfstate', 'missing-address.jsonnet'));
    for (const mode of ['placeholder', 'expand'] as const) {
      const error = await evaluationError(evaluateDefinition(options(relative, mode)));
      expect(formatIssue(error.issues[0]!)).to.equal(
        `${relative}:2:8: tfstate: aws_lb_target_group.nodjs.arn not found: aws_lb_target_group.nodjs is not in ${STATE}; did you mean aws_lb_target_group.nodejs.arn?`,
      );
      expect(error.hint).to.contain('output.NAME');
    }
  });

  it("std.native('tfstate') without a state location says how to give one", async () => {
    const error = await evaluationError(evaluateDefinition(options(fixture('tfstate', 'missing-address.jsonnet'), 'placeholder', { tfstate: undefined })));
    expect(error.issues[0]!.message).to.equal(`std.native('tfstate')("aws_lb_target_group.nodjs.arn") needs the Terraform state's location`);
    expect(error.hint).to.contain('--tfstate');
    expect(error.hint).to.contain('HAKO_TFSTATE');
  });

  it('an unreadable state fails the evaluation naming the state', async () => {
    const missing = fixture('tfstate', 'nope.tfstate');
    const error = await evaluationError(evaluateDefinition(options(fixture('tfstate', 'missing-address.jsonnet'), 'placeholder', { tfstate: missing })));
    expect(error.issues[0]!.message).to.equal(`tfstate provider: cannot read Terraform state ${missing}: no such file`);
  });
});
