import * as assert from 'node:assert/strict';
import { bufferedLines } from '../../src/sandbox/lineBuffer';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('sandbox log lines', () => {
  it('writes the lines of one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const lines = bufferedLines((text) => writes.push(text));
    lines.log('a');
    lines.log('b');
    assert.deepEqual(writes, [], 'nothing is written synchronously');
    await nextTurn();
    lines.log('c');
    await nextTurn();
    assert.deepEqual(writes, ['a\nb\n', 'c\n']);
  });

  it('flush writes what is pending at once (the CLI calls it on exit), and nothing when nothing is', async () => {
    const writes: string[] = [];
    const lines = bufferedLines((text) => writes.push(text));
    lines.flush();
    lines.log('last words');
    lines.flush();
    assert.deepEqual(writes, ['last words\n']);
    await nextTurn();
    assert.deepEqual(writes, ['last words\n'], 'the scheduled flush finds nothing left');
  });
});
