// Updating the bot's variables in an existing .env: every other line stays, ours are replaced in
// place (duplicates dropped), new ones appended under a header, the line ending kept, and a
// left-out secret is removed only when it belongs to another key.
import * as assert from 'node:assert/strict';
import { BOT_ENV_NAMES } from '../../src/app/botEnv';
import { mergeDotenv, parseDotenv } from '../../src/app/dotenv';

const options = { header: '# Binance settings from Testnet Desk', managed: BOT_ENV_NAMES };
const vars = (apiKey = 'KEY1', extra: [string, string][] = []): [string, string][] => [
  ['BINANCE_ENV', 'local'],
  ['BINANCE_REST_BASE_URL', 'http://127.0.0.1:27182'],
  ['BINANCE_API_KEY', apiKey],
  ...extra,
];

describe('.env merge', () => {
  it('writes a new file with the header and the variables', () => {
    const change = mergeDotenv(undefined, vars(), options);
    assert.equal(
      change.text,
      '# Binance settings from Testnet Desk\nBINANCE_ENV=local\nBINANCE_REST_BASE_URL=http://127.0.0.1:27182\nBINANCE_API_KEY=KEY1\n',
    );
    assert.deepEqual(change.added, ['BINANCE_ENV', 'BINANCE_REST_BASE_URL', 'BINANCE_API_KEY']);
  });

  it('keeps every other line as it was, replaces ours in place and appends the missing ones', () => {
    const existing = [
      '# my bot',
      'DB_URL="postgres://u:p@localhost/db"  # local',
      'export BINANCE_ENV=testnet',
      '',
      'MULTI="line one',
      'BINANCE_API_KEY=not-a-variable-inside-a-quoted-value',
      'line three"',
      "SINGLE='a # b'",
      'BINANCE_ENV=demo',
      '# end',
    ].join('\n');
    const change = mergeDotenv(`${existing}\n`, vars(), options);
    assert.equal(
      change.text,
      [
        '# my bot',
        'DB_URL="postgres://u:p@localhost/db"  # local',
        'export BINANCE_ENV=local',
        '',
        'MULTI="line one',
        'BINANCE_API_KEY=not-a-variable-inside-a-quoted-value',
        'line three"',
        "SINGLE='a # b'",
        '# end',
        '',
        '# Binance settings from Testnet Desk',
        'BINANCE_REST_BASE_URL=http://127.0.0.1:27182',
        'BINANCE_API_KEY=KEY1',
        '',
      ].join('\n'),
    );
    assert.deepEqual(change.updated, ['BINANCE_ENV']);
    assert.deepEqual(change.added, ['BINANCE_REST_BASE_URL', 'BINANCE_API_KEY']);
  });

  it('keeps CRLF line endings and writes an unchanged file identically', () => {
    const first = mergeDotenv('A=1\r\n', vars(), options).text;
    assert.ok(first.split('\r\n').length > 4 && !/[^\r]\n/.test(first), JSON.stringify(first));
    const again = mergeDotenv(first, vars(), options);
    assert.equal(again.text, first);
    assert.deepEqual([again.added, again.updated, again.removed], [[], [], []]);
  });

  it('keeps the secret when written without it for the same key, and drops it for another key', () => {
    const withSecret = mergeDotenv(undefined, vars('KEY1', [['BINANCE_API_SECRET', 's3cret']]), options).text;
    const sameKey = mergeDotenv(withSecret, vars('KEY1'), options);
    assert.match(sameKey.text, /^BINANCE_API_SECRET=s3cret$/m);
    const otherKey = mergeDotenv(withSecret, vars('KEY2'), options);
    assert.doesNotMatch(otherKey.text, /BINANCE_API_SECRET/);
    assert.deepEqual(otherKey.removed, ['BINANCE_API_SECRET']);
  });

  it('quotes a PEM on one line, and reads it back as the same value', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----';
    const text = mergeDotenv(undefined, [['BINANCE_PRIVATE_KEY', pem]], options).text;
    assert.match(text, /^BINANCE_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nMC4CAQAw\\n-----END PRIVATE KEY-----"$/m);
    assert.equal(parseDotenv(text).find((e) => e.name === 'BINANCE_PRIVATE_KEY')?.value, pem);
  });
});
