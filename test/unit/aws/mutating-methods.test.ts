/**
 * The `*_MUTATING_METHODS` lists (lib/aws/ports.ts) guard dry runs: `readOnlyAwsClients` refuses exactly those
 * methods, and the dry-run fakes fail on them. A write missing from its list would slip through both. Every
 * method a port binds (lib/aws/factory.ts) is either a read by AWS's naming (Describe*, List*, Get*, Head*) or
 * listed as mutating.
 */
import { expect } from 'chai';
import { PORT_METHODS } from '../../../lib/aws/factory.js';
import { MUTATING_METHODS, isMutatingOperation, type AwsPorts } from '../../../lib/aws/ports.js';

const READ_ONLY = /^(describe|list|get|head)[A-Z]/;

describe('mutating-method lists', () => {
  for (const port of Object.keys(PORT_METHODS) as (keyof AwsPorts)[]) {
    it(`${port}: every method that is not a read is listed as mutating, and only those`, () => {
      const methods = Object.keys(PORT_METHODS[port]);
      const writes = methods.filter((m) => !READ_ONLY.test(m)).sort();
      expect([...(MUTATING_METHODS[port] as readonly string[])].sort()).to.deep.equal(writes);
    });
  }

  it('isMutatingOperation knows every write by its operation name', () => {
    for (const port of Object.keys(PORT_METHODS) as (keyof AwsPorts)[]) {
      for (const method of Object.keys(PORT_METHODS[port])) {
        const operation = method.charAt(0).toUpperCase() + method.slice(1);
        expect(isMutatingOperation(operation), operation).to.equal(!READ_ONLY.test(method));
      }
    }
  });
});
