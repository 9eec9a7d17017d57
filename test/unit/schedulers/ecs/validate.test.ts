import { expect } from 'chai';
import type { AppModel } from '../../../../lib/definition/model.js';
import { APP_ID_MAX, TASK_DEFINITION_MAX_BYTES, validateEcsModel } from '../../../../lib/schedulers/ecs/validate.js';
import { appModel, container } from '../../../helpers/model-builders.js';

const withId = (id: string, file = `/defs/${id}.jsonnet`): AppModel => ({ ...appModel(), id, file });

describe('validateEcsModel (what ECS would refuse at RegisterTaskDefinition)', () => {
  it('accepts an ordinary model', () => {
    expect(validateEcsModel(appModel())).to.deep.equal([]);
  });

  it('app ids: letters, digits, - and _, at most 247 so that <id>-oneshot fits 255', () => {
    expect(validateEcsModel(withId('web_front-2'))).to.deep.equal([]);
    expect(validateEcsModel(withId('a'.repeat(APP_ID_MAX)))).to.deep.equal([]);
    const long = validateEcsModel(withId('a'.repeat(APP_ID_MAX + 1)));
    expect(long.map((i) => i.message).join()).to.include(`is ${APP_ID_MAX + 1} characters; at most ${APP_ID_MAX}`);
  });

  it('names the file when the id is its name, and app_id when the definition set it', () => {
    const fromFile = validateEcsModel(withId('my app'));
    expect(fromFile).to.have.length(1);
    expect(fromFile[0]).to.include({ file: '/defs/my app.jsonnet' });
    expect(fromFile[0]!.message).to.include('Rename the file, or set app_id');
    const fromKey = validateEcsModel(withId('my app', '/defs/fine.jsonnet'));
    expect(fromKey[0]).to.include({ path: 'app_id' });
  });

  it('checks container names and environment and secret names', () => {
    const model = appModel({
      containers: [
        container('app', { env: [{ name: '', value: 'x' }], secrets: [{ name: 'A=B', value_from: 'arn:aws:ssm:::parameter/x' }] }),
        container('log.router'),
      ],
    });
    expect(validateEcsModel(model).map((i) => i.path)).to.deep.equal(['app.env[""]', 'app.secrets[0].name', 'sidecars["log.router"]']);
  });

  it(`refuses a task definition over ${TASK_DEFINITION_MAX_BYTES} bytes as sent, naming the largest container`, () => {
    const big = (n: number) => appModel({ containers: [container('app', { env: [{ name: 'BLOB', value: 'x'.repeat(n) }] }), container('front')] });
    expect(validateEcsModel(big(60_000))).to.deep.equal([]);
    const issues = validateEcsModel(big(66_000));
    expect(issues).to.have.length(1);
    expect(issues[0]!.message).to.match(/^the task definition is 6\d\.\d KiB; ECS accepts at most 64\.0 KiB\. Largest: app 64\.\d KiB \(env 64\.\d KiB\)/);
  });
});
