import { expect } from 'chai';
import { PORT_METHODS } from '../../../lib/aws/port-methods.js';
import { operationOf, SDK_PACKAGES, sdkExports } from '../../../lib/aws/sdk-packages.js';

describe('aws: what hako uses of each SDK package (the bundle keeps only that)', function () {
  // Loads fifteen SDK packages from node_modules.
  this.timeout(60_000);

  it('each package exports its client and a command for every method of its port', async () => {
    const missing: string[] = [];
    for (const [port, { package: name, client }] of Object.entries(SDK_PACKAGES)) {
      const module = (await import(name)) as Record<string, unknown>;
      if (typeof module[client] !== 'function') missing.push(`${name} ${client}`);
      for (const method of Object.keys(PORT_METHODS[port as keyof typeof PORT_METHODS])) {
        const command = `${operationOf(method)}Command`;
        if (typeof module[command] !== 'function') missing.push(`${name} ${command} (${port}.${method})`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('lists, by package, the client first and then the commands', () => {
    const exports = sdkExports();
    expect(exports.get('@aws-sdk/client-s3')).to.deep.equal(['S3Client', 'GetObjectCommand', 'HeadObjectCommand', 'PutObjectCommand']);
    expect(exports.get('@aws-sdk/client-ecs')?.[0]).to.equal('ECSClient');
    expect(exports.get('@aws-sdk/client-ecs')).to.include.members(['DescribeServicesCommand', 'RegisterTaskDefinitionCommand', 'RunTaskCommand']);
    expect(exports.size).to.equal(Object.keys(SDK_PACKAGES).length);
    expect(operationOf('describeServices')).to.equal('DescribeServices');
  });
});
