import assert from 'node:assert/strict';
import { formatAge, formatAmount, formatMoney, percent } from '../../src/app/format';
import { formatRequestLog } from '../../src/app/requestLog';
import { normalizePem } from '../../src/app/pem';

describe('vscode display helpers', () => {
  it('formats amounts without floats and cuts long fractions down', () => {
    assert.equal(formatAmount('1.50000000'), '1.5');
    assert.equal(formatAmount('0.123456789'), '0.12345678');
    assert.equal(formatAmount('100'), '100');
  });

  it('formats money with grouping and two decimals', () => {
    assert.equal(formatMoney('1234567.005'), '1,234,567.01');
    assert.equal(formatMoney('0.1'), '0.10');
    assert.equal(formatMoney('-1000'), '-1,000.00');
  });

  it('computes percentages exactly, and 0 for a zero whole', () => {
    assert.equal(percent('0.1', '0.3'), '33.3');
    assert.equal(percent('1', '4'), '25');
    assert.equal(percent('1', '0'), '0');
  });

  it('formats ages compactly', () => {
    assert.equal(formatAge(0, 12_000), '12s');
    assert.equal(formatAge(0, 5 * 60_000), '5m');
    assert.equal(formatAge(0, (3 * 60 + 4) * 60_000), '3h 4m');
    assert.equal(formatAge(0, 2 * 86_400_000), '2d');
    assert.equal(formatAge(10_000, 0), '0s');
  });

  it('logs a request with method, path, status, weight and latency only', () => {
    const line = formatRequestLog(
      {
        method: 'GET',
        path: '/api/v3/account?timestamp=1&signature=abcdef',
        status: 200,
        usedWeight: 20,
        latencyMs: 41.6,
      },
      'Spot Testnet',
    );
    assert.equal(line, '[Spot Testnet] GET /api/v3/account · 200 · weight 20 · 42 ms');
    assert.ok(!line.includes('signature'));
    assert.equal(
      formatRequestLog({ method: 'POST', path: '/api/v3/order', status: 'error', latencyMs: 10, errorCode: -1007 }),
      'POST /api/v3/order · no response · 10 ms · code -1007',
    );
  });

  it('rebuilds a PEM pasted into a one-line input box', () => {
    const body = 'MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u';
    assert.equal(
      normalizePem(`-----BEGIN PRIVATE KEY----- ${body} -----END PRIVATE KEY-----`),
      `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`,
    );
    assert.equal(normalizePem('not a pem'), 'not a pem');
  });
});
