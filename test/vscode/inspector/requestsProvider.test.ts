import '../../support/vscodeStub';
import * as assert from 'node:assert/strict';
import type { InspectedRequest } from '../../../src/app/inspector/inspectedRequest';
import { RequestList } from '../../../src/app/inspector/requestList';
import { requestDocument, RequestsProvider } from '../../../src/vscode/inspector/requestsProvider';

const failed: InspectedRequest = {
  key: 'sandbox:9',
  environment: 'Local sandbox (27182)',
  time: Date.UTC(2026, 11, 4),
  transport: 'rest',
  apiKey: 'vmPU…1a2b',
  client: '127.0.0.1:53211',
  method: 'POST',
  path: '/api/v3/order',
  params: { symbol: 'BTCUSDT', signature: '(redacted, 64 characters)' },
  status: 400,
  code: -1022,
  msg: 'Signature for this request is not valid.',
  weight: 1,
  latencyMs: 2,
  diagnosis: { cause: "The signature's '+' characters were not percent-encoded.", fix: 'Percent-encode it.' },
};

describe('Requests view', () => {
  it('shows a failure with its diagnosis in one line, and opens it as JSON without secrets', () => {
    const list = new RequestList();
    const provider = new RequestsProvider(list);
    list.add(failed);
    const [row] = provider.getChildren();
    const item = provider.getTreeItem(row);
    assert.equal(item.label, 'POST /api/v3/order');
    assert.equal(item.description, "-1022 · The signature's '+' characters were not percent-encoded. · vmPU…1a2b");
    assert.deepEqual(item.command?.arguments, ['sandbox:9']);
    const json = JSON.parse(requestDocument(row));
    assert.equal(json.response.code, -1022);
    assert.equal(json.request.params.signature, '(redacted, 64 characters)');
    assert.equal(json.diagnosis.fix, 'Percent-encode it.');
    provider.dispose();
  });
});
