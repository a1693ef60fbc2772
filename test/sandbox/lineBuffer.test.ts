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

  it('writes at most maxPerSecond lines a second, then says how many it left out', async () => {
    const writes: string[] = [];
    let clock = 0;
    const lines = bufferedLines(
      (text) => writes.push(text),
      2,
      () => clock,
    );
    for (const l of ['a', 'b', 'c', 'd', 'e']) lines.log(l);
    await nextTurn();
    assert.deepEqual(writes, ['a\nb\n']);
    clock = 1000;
    lines.log('f');
    await nextTurn();
    assert.deepEqual(writes, ['a\nb\n', '(3 more log lines in that second not shown: at most 2 a second)\nf\n']);
    lines.log('g');
    lines.log('h');
    lines.flush();
    assert.deepEqual(writes.slice(2), ['g\n(1 more log line in that second not shown: at most 2 a second)\n']);
  });
});
