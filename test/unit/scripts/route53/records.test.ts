import { expect } from 'chai';
import { canonicalName, isInZone, qualifyName } from '../../../../lib/scripts/route53/names.js';
import {
  aliasDnsName,
  describeRecordSet,
  ownerRecordSet,
  parseOwnership,
  quoteTxt,
  sameRecordSet,
  type RecordSet,
} from '../../../../lib/scripts/route53/records.js';

describe('route53 names', () => {
  const zone = 'example.com.';

  it('qualifies relative, apex, fully qualified and zone-suffixed names', () => {
    expect(qualifyName('www', zone)).to.equal('www.example.com.');
    expect(qualifyName('@', zone)).to.equal('example.com.');
    expect(qualifyName('WWW.Example.COM.', zone)).to.equal('www.example.com.');
    expect(qualifyName('api.example.com', zone)).to.equal('api.example.com.');
    expect(qualifyName('a.b', zone)).to.equal('a.b.example.com.');
    expect(qualifyName('www.other.org.', zone)).to.equal('www.other.org.');
  });

  it('decodes the octal escapes Route 53 answers with', () => {
    expect(canonicalName('\\052.Example.com.')).to.equal('*.example.com.');
  });

  it('knows what is in the zone', () => {
    expect(isInZone('example.com.', zone)).to.equal(true);
    expect(isInZone('a.example.com.', zone)).to.equal(true);
    expect(isInZone('notexample.com.', zone)).to.equal(false);
  });
});

describe('route53 record sets', () => {
  const alias = (dns: string, zoneId = 'Z1'): RecordSet => ({
    Name: 'www.example.com.',
    Type: 'A',
    AliasTarget: { HostedZoneId: zoneId, DNSName: dns, EvaluateTargetHealth: false },
  });

  it('compares alias targets ignoring case, trailing dot and the dualstack prefix', () => {
    expect(sameRecordSet(alias('dualstack.LB-1.elb.amazonaws.com.'), alias('lb-1.elb.amazonaws.com'))).to.equal(true);
    expect(sameRecordSet(alias('lb-1.elb.amazonaws.com.'), alias('lb-2.elb.amazonaws.com.'))).to.equal(false);
    expect(sameRecordSet(alias('lb-1.elb.amazonaws.com.', 'Z1'), alias('lb-1.elb.amazonaws.com.', 'Z2'))).to.equal(false);
    expect(sameRecordSet(undefined, alias('lb-1.elb.amazonaws.com.'))).to.equal(false);
  });

  it('compares values in any order, and TTL', () => {
    const a: RecordSet = { Name: 'x.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }, { Value: '192.0.2.2' }] };
    const b: RecordSet = { Name: 'x.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }, { Value: '192.0.2.1' }] };
    expect(sameRecordSet(a, b)).to.equal(true);
    expect(sameRecordSet(a, { ...b, TTL: 300 })).to.equal(false);
    const cname = (v: string): RecordSet => ({ Name: 'c.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: v }] });
    expect(sameRecordSet(cname('LB.example.net.'), cname('lb.example.net'))).to.equal(true);
  });

  it('prefixes dualstack for application load balancers only', () => {
    expect(aliasDnsName({ name: 'a', dnsName: 'A-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z', type: 'application' })).to.equal(
      'dualstack.a-1.elb.amazonaws.com.',
    );
    expect(aliasDnsName({ name: 'n', dnsName: 'n-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z', type: 'network' })).to.equal(
      'n-1.elb.amazonaws.com.',
    );
  });

  it('quotes and splits TXT values', () => {
    expect(quoteTxt('v=spf1 -all')).to.equal('"v=spf1 -all"');
    expect(quoteTxt('"already"')).to.equal('"already"');
    expect(quoteTxt('say "hi"')).to.equal('"say \\"hi\\""');
    const long = quoteTxt('x'.repeat(300));
    expect(long).to.equal(`"${'x'.repeat(255)}" "${'x'.repeat(45)}"`);
  });

  it('reads ownership records', () => {
    expect(parseOwnership(undefined)).to.deep.equal({ kind: 'none' });
    expect(parseOwnership(ownerRecordSet('www.example.com.', 'hello'))).to.deep.equal({ kind: 'app', appId: 'hello' });
    expect(parseOwnership({ Name: 'x.', Type: 'TXT', TTL: 1, ResourceRecords: [{ Value: '"something else"' }] })).to.deep.equal({
      kind: 'foreign',
    });
    expect(ownerRecordSet('www.example.com.', 'hello')).to.deep.include({ Name: '_hako-owner.www.example.com.', Type: 'TXT' });
  });

  it('renders readable lines', () => {
    expect(describeRecordSet(alias('dualstack.lb.elb.amazonaws.com'))).to.deep.equal(['www.example.com. A ALIAS dualstack.lb.elb.amazonaws.com.']);
    expect(describeRecordSet({ Name: 'c.example.com', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'lb.' }] })).to.deep.equal([
      'c.example.com. CNAME 300 lb.',
    ]);
  });
});
