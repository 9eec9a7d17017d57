import { expect } from 'chai';
import { loadEnvironment } from '../../../lib/definition/environment.js';
import { formatIssue } from '../../../lib/errors.js';
import { fixture } from '../../helpers/paths.js';
import { definitionErrorOf as failure } from '../../helpers/definition-error.js';

describe('loadEnvironment (--envfile over the real environment)', () => {
  it('lays env files over the base, later files winning, without touching the base or process.env', async () => {
    const base = { STAGE: 'shell', HOME: '/home/me', UNSET: undefined };
    const env = await loadEnvironment(base, [fixture('envfile', 'base.env'), fixture('envfile', 'prod.env')]);
    expect({ ...env }).to.deep.equal({
      STAGE: 'prod',
      HOME: '/home/me',
      REGION: 'ap-northeast-1',
      GREETING: 'hello\nworld',
      LITERAL: 'a $b \\n',
      URL: 'http://example.com/#top',
      EXTRA: '1',
    });
    expect(base.STAGE).to.equal('shell');
    expect(process.env.REGION).to.not.equal('ap-northeast-1');
  });

  it('is the base alone without files', async () => {
    expect({ ...(await loadEnvironment({ A: '1' }, [])) }).to.deep.equal({ A: '1' });
  });

  it('names the file, line and column of each malformed line', async () => {
    const file = fixture('envfile', 'broken.env');
    const error = await failure(loadEnvironment({}, [file]));
    expect(error.message).to.equal(`Invalid env file ${file} (3 problems)`);
    expect(error.issues.map(formatIssue)).to.deep.equal([
      `${file}:2:1: expected KEY=value, got "this line is wrong"`,
      `${file}:3:1: invalid variable name "1BAD" (letters, digits, _, . and -, not starting with a digit)`,
      `${file}:4:13: unexpected text after the closing ": "trailing"`,
    ]);
  });

  it('names a missing file', async () => {
    const error = await failure(loadEnvironment({}, ['no/such.env']));
    expect(error.message).to.equal('Cannot read env file no/such.env: no such file');
    expect(error.hint).to.contain('working directory');
  });
});
