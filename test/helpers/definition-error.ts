import { expect } from 'chai';
import { DefinitionError } from '../../lib/errors.js';

/** The DefinitionError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function definitionErrorOf(promise: Promise<unknown>): Promise<DefinitionError> {
  try {
    await promise;
  } catch (e) {
    expect(e).to.be.instanceOf(DefinitionError);
    return e as DefinitionError;
  }
  expect.fail('expected a DefinitionError');
}
