import { expect } from 'chai';
import { chunk, formatArn, parseArn } from '../../../lib/aws/arn.js';

describe('aws: parseArn', () => {
  it('splits the six fields and keeps colons inside the resource', () => {
    const text = 'arn:aws:secretsmanager:ap-northeast-1:012345678901:secret:hoge/fuga2-abcdef:SECRET_MESSAGE1::';
    const arn = parseArn(text);
    expect(arn).to.deep.equal({
      partition: 'aws',
      service: 'secretsmanager',
      region: 'ap-northeast-1',
      accountId: '012345678901',
      resource: 'secret:hoge/fuga2-abcdef:SECRET_MESSAGE1::',
    });
    expect(formatArn(arn!)).to.equal(text);
  });

  it('accepts empty region and account (global resources)', () => {
    expect(parseArn('arn:aws:s3:::bucket/key')?.resource).to.equal('bucket/key');
  });

  it('rejects what is not an ARN', () => {
    expect(parseArn('/myapp/MESSAGE')).to.equal(undefined);
    expect(parseArn('arn:aws:ssm:us-east-1')).to.equal(undefined);
    expect(parseArn('arn:aws:ssm:us-east-1:1:')).to.equal(undefined);
  });
});

describe('aws: chunk', () => {
  it('cuts into batches of at most the given size, in order', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const batches = chunk(items, 10);
    expect(batches.map((b) => b.length)).to.deep.equal([10, 10, 3]);
    expect(batches.flat()).to.deep.equal(items);
    expect(chunk([], 10)).to.deep.equal([]);
  });
});
