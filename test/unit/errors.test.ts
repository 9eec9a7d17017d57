import { expect } from 'chai';
import { DefinitionError, HakoError, PluginError, UsageError } from '../../lib/errors.js';

describe('error tree', () => {
  it('keeps instanceof along the class chain', () => {
    const e = new DefinitionError('x.jsonnet', [{ message: 'bad', path: 'app', severity: 'error' }]);
    expect(e).to.be.instanceOf(DefinitionError);
    expect(e).to.be.instanceOf(HakoError);
    expect(e).not.to.be.instanceOf(UsageError);
    expect(new UsageError('u')).to.have.property('exitCode', 2);
  });

  it('recognises an error built by another copy of the module (a plugin importing the package entry)', () => {
    // What a second copy of lib/errors.ts produces: same class names, different class objects.
    const foreign = new Error('from a plugin');
    Object.defineProperty(foreign, Symbol.for('hako.errorClasses'), { value: ['PluginError', 'HakoError'] });
    expect(foreign).to.be.instanceOf(HakoError);
    expect(foreign).to.be.instanceOf(PluginError);
    expect(foreign).not.to.be.instanceOf(DefinitionError);
    expect(new Error('plain')).not.to.be.instanceOf(HakoError);
  });
});
