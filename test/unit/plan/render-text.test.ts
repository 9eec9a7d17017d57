import { expect } from 'chai';
import { renderStepDiff } from '../../../lib/plan/render.js';

describe('renderStepDiff of text documents', () => {
  it('diffs a string (a rendered config) line by line, without YAML quoting', () => {
    const text = renderStepDiff(
      { owner: 'nginx_front', kind: 'upload-front-config', action: 'update', resource: 'r', title: 't', before: 'server {\n  listen 80;\n}\n', after: 'server {\n  listen 8080;\n}\n', payload: {} },
      false,
    );
    expect(text.split('\n')).to.deep.equal(['     server {', '    -  listen 80;', '    +  listen 8080;', '     }']);
  });
});
