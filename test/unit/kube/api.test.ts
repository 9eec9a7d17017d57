import { expect } from 'chai';
import { KubeApiError } from '../../../lib/errors.js';
import { createKubeApi, resourcePath } from '../../../lib/kube/api.js';
import type { KubeManifest, KubeStream } from '../../../lib/kube/ports.js';
import type { KubeTransport, RestRequest, RestResponse } from '../../../lib/kube/rest.js';
import { statusError } from '../../../lib/kube/kube-error.js';

/** A transport that answers from a script and records every request. */
class ScriptedTransport implements KubeTransport {
  readonly server = 'https://cluster.example:6443';
  readonly requests: RestRequest[] = [];
  constructor(
    private readonly answers: RestResponse[] = [],
    private readonly chunks: string[] = [],
  ) {}
  async request(req: RestRequest): Promise<RestResponse> {
    this.requests.push(req);
    const next = this.answers.shift();
    if (next === undefined) throw new Error(`unexpected ${req.method} ${req.path}`);
    return next;
  }
  async ok(req: RestRequest): Promise<string> {
    const res = await this.request(req);
    if (res.status >= 300) throw statusError(req.operation, req.target, res.status, res.body);
    return res.body;
  }
  stream(req: RestRequest, onText: (text: string) => void): KubeStream {
    this.requests.push(req);
    let stopped = false;
    const done = (async () => {
      for (const chunk of this.chunks) {
        if (stopped) return;
        onText(chunk);
      }
    })();
    return { done, stop: () => (stopped = true) };
  }
}

const json = (status: number, body: unknown): RestResponse => ({ status, body: JSON.stringify(body) });

const manifest = (): KubeManifest<'Deployment'> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

describe('kube: resourcePath', () => {
  it('puts core kinds under /api/v1 and grouped kinds under /apis/<group>/<version>, names escaped', () => {
    expect(resourcePath('Pod', 'ns', 'p')).to.equal('/api/v1/namespaces/ns/pods/p');
    expect(resourcePath('Deployment', 'ns')).to.equal('/apis/apps/v1/namespaces/ns/deployments');
    expect(resourcePath('Job', 'ns', 'a b')).to.equal('/apis/batch/v1/namespaces/ns/jobs/a%20b');
    expect(resourcePath('Event', 'ns')).to.equal('/api/v1/namespaces/ns/events');
  });
});

describe('kube: KubeApi over a transport', () => {
  it('applies with server-side apply: PATCH as field manager hako, forced, strict, the manifest sent verbatim', async () => {
    const transport = new ScriptedTransport([json(200, { kind: 'Deployment' }), json(200, { kind: 'Deployment' })]);
    const api = createKubeApi(transport, 'ctx');
    const withFutureField = { ...manifest(), spec: { ...manifest().spec!, someFutureField: { a: 1 } } };
    await api.apply(withFutureField);
    await api.apply(manifest(), { dryRun: true });
    const [real, dry] = transport.requests;
    expect(real).to.deep.include({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/prod/deployments/web',
      contentType: 'application/apply-patch+yaml',
      operation: 'apply',
    });
    expect(real?.query).to.deep.equal({ fieldManager: 'hako', force: true, fieldValidation: 'Strict', dryRun: undefined });
    expect(JSON.parse(real?.body ?? '')).to.deep.equal(withFutureField);
    expect(dry?.query?.dryRun).to.equal('All');
    expect(dry?.operation).to.equal('apply (dry run)');
  });

  it('refuses a manifest without a namespace or of a kind it does not apply, before any request', async () => {
    const transport = new ScriptedTransport();
    const api = createKubeApi(transport, 'ctx');
    const noNamespace = { ...manifest(), metadata: { name: 'web' } } as unknown as KubeManifest<'Deployment'>;
    const pod = { ...manifest(), kind: 'Pod' } as unknown as KubeManifest<'Deployment'>;
    for (const bad of [noNamespace, pod]) {
      const err = await api.apply(bad).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(KubeApiError).and.include({ reason: 'InvalidManifest', status: 0 });
    }
    expect(transport.requests).to.have.length(0);
  });

  it('reads a missing object as undefined and deletes a missing one as absent; other failures throw', async () => {
    const notFound = json(404, { kind: 'Status', reason: 'NotFound', message: 'deployments.apps "web" not found', code: 404 });
    const forbidden = json(403, { kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 });
    const api = createKubeApi(new ScriptedTransport([notFound, notFound, forbidden]), 'ctx');
    expect(await api.get('Deployment', 'prod', 'web')).to.equal(undefined);
    expect(await api.delete('Deployment', 'prod', 'web')).to.equal('absent');
    const err = await api.get('Pod', 'prod', 'p').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(KubeApiError).and.include({ status: 403, reason: 'Forbidden', operation: 'get' });
    expect((err as KubeApiError).target).to.deep.equal({ kind: 'Pod', name: 'p', namespace: 'prod' });
    expect((err as KubeApiError).hint).to.match(/RBAC/);
  });

  it('lists every page, gives each item its apiVersion and kind, and returns the first page\'s resourceVersion', async () => {
    const transport = new ScriptedTransport([
      json(200, { metadata: { resourceVersion: '10', continue: 'next' }, items: [{ metadata: { name: 'a' } }] }),
      json(200, { metadata: { resourceVersion: '10' }, items: [{ metadata: { name: 'b' } }] }),
    ]);
    const list = await createKubeApi(transport, 'ctx').list('ReplicaSet', 'prod', { labelSelector: 'app=web' });
    expect(list.resourceVersion).to.equal('10');
    expect(list.items.map((i) => [i.apiVersion, i.kind, i.metadata?.name])).to.deep.equal([
      ['apps/v1', 'ReplicaSet', 'a'],
      ['apps/v1', 'ReplicaSet', 'b'],
    ]);
    expect(transport.requests.map((r) => r.query?.continue)).to.deep.equal([undefined, 'next']);
    expect(transport.requests[0]?.query?.labelSelector).to.equal('app=web');
  });

  it('splits watch events across chunks and ends with a KubeApiError on an ERROR event', async () => {
    const event = (type: string, name: string) => JSON.stringify({ type, object: { metadata: { name } } });
    const gone = JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
    const text = `${event('ADDED', 'a')}\n${event('MODIFIED', 'a')}\n${gone}\n${event('DELETED', 'a')}\n`;
    const transport = new ScriptedTransport([], [text.slice(0, 7), text.slice(7, 60), text.slice(60)]);
    const seen: string[] = [];
    const stream = createKubeApi(transport, 'ctx').watch('Pod', 'prod', {
      resourceVersion: '5',
      onEvent: (e) => seen.push(`${e.type} ${e.object.metadata?.name}`),
    });
    const err = await stream.done.catch((e: unknown) => e);
    expect(seen).to.deep.equal(['ADDED a', 'MODIFIED a']);
    expect(err).to.be.instanceOf(KubeApiError).and.include({ status: 410, reason: 'Expired', operation: 'watch' });
    expect(transport.requests[0]?.query).to.deep.include({ watch: true, resourceVersion: '5' });
  });
});

describe('kube: statusError', () => {
  it('takes reason, message and details from a Status body, and falls back to the HTTP status for other bodies', () => {
    const status = JSON.stringify({ kind: 'Status', reason: 'Invalid', message: 'spec.replicas: Invalid value', details: { kind: 'deployments', name: 'web' } });
    const invalid = statusError('apply', { namespace: 'prod' }, 422, status);
    expect(invalid.message).to.equal('Kubernetes apply deployments/web in namespace prod failed: 422 Invalid: spec.replicas: Invalid value');
    const proxy = statusError('get', { kind: 'Pod', name: 'p' }, 502, '<html>bad gateway</html>');
    expect(proxy).to.include({ status: 502, reason: 'HTTP502' });
    expect(proxy.message).to.match(/bad gateway/);
    expect(statusError('get', {}, 401, '', 'https://k').hint).to.match(/credentials for https:\/\/k/);
  });
});
