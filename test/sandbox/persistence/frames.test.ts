import * as assert from 'node:assert/strict';
import { decodeFrames, encodeFrame } from '../../../src/sandbox/persistence/frames';

const records = ['first', 'second record', 'third, the last'].map((text) => Buffer.from(text));
const journal = Buffer.concat(records.map(encodeFrame));

describe('sandbox journal frames', () => {
  it('reads back every whole record of a clean journal', () => {
    const decoded = decodeFrames(journal);
    assert.deepEqual(decoded.end, { kind: 'clean' });
    assert.deepEqual(
      decoded.payloads.map((p) => p.toString()),
      records.map((r) => r.toString()),
    );
    assert.equal(decoded.validBytes, journal.length);
  });

  it('calls a last record cut anywhere by a crash torn, and keeps every record before it', () => {
    const lastStart = journal.length - encodeFrame(records[2]).length;
    for (let cut = lastStart + 1; cut < journal.length; cut++) {
      const decoded = decodeFrames(journal.subarray(0, cut));
      assert.equal(decoded.end.kind, 'torn', `cut at ${cut}`);
      assert.equal(decoded.payloads.length, 2);
      assert.equal(decoded.validBytes, lastStart);
    }
  });

  it('calls a last record whose bytes did not reach the disk (zeros, a bad checksum) torn', () => {
    const damaged = Buffer.from(journal);
    damaged[damaged.length - 1] ^= 0xff;
    assert.equal(decodeFrames(damaged).end.kind, 'torn');
  });

  it('calls a bad record followed by more data damaged, and says where', () => {
    const damaged = Buffer.from(journal);
    const secondPayload = encodeFrame(records[0]).length + 8;
    damaged[secondPayload] ^= 0x01;
    const decoded = decodeFrames(damaged);
    assert.deepEqual(decoded.end, {
      kind: 'damaged',
      at: encodeFrame(records[0]).length,
      index: 1,
      reason: 'a checksum mismatch',
    });
    assert.equal(decoded.payloads.length, 1, 'nothing after the damage is read');
  });
});
