import { expect } from 'chai';
import { DefinitionError } from '../../lib/errors.js';

/** The error of class `type` that `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejectionOf<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (e) {
    expect(e).to.be.instanceOf(type);
    return e as T;
  }
  expect.fail(`expected a ${type.name}`);
}

/** The DefinitionError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export function definitionErrorOf(promise: Promise<unknown>): Promise<DefinitionError> {
  return rejectionOf(promise, DefinitionError);
}
