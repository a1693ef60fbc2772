import assert from 'node:assert/strict';
import fc from 'fast-check';
import { offsetFromSample, ServerClock } from '../../src/core/clock';

describe('clock: offset = serverTime − (tSend + tRecv) / 2', () => {
  it('computes offset and RTT', () => {
    assert.deepEqual(offsetFromSample({ tSend: 1000, tRecv: 1100, serverTime: 3050 }), { offsetMs: 2000, rttMs: 100 });
    assert.deepEqual(offsetFromSample({ tSend: 1000, tRecv: 1000, serverTime: 500 }), { offsetMs: -500, rttMs: 0 });
    assert.deepEqual(offsetFromSample({ tSend: 0, tRecv: 3, serverTime: 10 }), { offsetMs: 9, rttMs: 3 }); // 10 - 1.5 = 8.5 → 9
  });

  it('ServerClock measures with the injected now() and applies the offset', async () => {
    let t = 10_000;
    const clock = new ServerClock(() => t, 1000);
    assert.equal(clock.needsSync(), true);
    assert.equal(clock.now(), 10_000);
    const result = await clock.sync(async () => {
      t += 40;
      return 10_020 - 7_000; // server is 7 s behind
    });
    assert.deepEqual(result, { offsetMs: -7000, rttMs: 40 });
    assert.equal(clock.now(), t - 7000);
    assert.equal(clock.needsSync(), false);
    t += 1000;
    assert.equal(clock.needsSync(), true);
  });

  it('concurrent syncs share one measurement; a failed sync leaves the old offset', async () => {
    const t = 0;
    const clock = new ServerClock(() => t);
    let calls = 0;
    const fetch = async () => {
      calls++;
      return 500;
    };
    await Promise.all([clock.sync(fetch), clock.sync(fetch), clock.sync(fetch)]);
    assert.equal(calls, 1);
    assert.equal(clock.offsetMs, 500);
    await assert.rejects(
      clock.sync(async () => {
        throw new Error('down');
      }),
      /down/,
    );
    assert.equal(clock.offsetMs, 500);
  });
});

describe('clock: property', () => {
  it('wherever in the round trip the server read its clock, the error is at most RTT/2', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: -1e7, max: 1e7 }),
        (tSend, rtt, at, trueOffset) => {
          const tRecv = tSend + rtt;
          const serverTime = Math.round(tSend + rtt * at + trueOffset);
          const { offsetMs, rttMs } = offsetFromSample({ tSend, tRecv, serverTime });
          assert.equal(rttMs, rtt);
          assert.ok(Math.abs(offsetMs - trueOffset) <= rtt / 2 + 1, `${offsetMs} vs ${trueOffset}`);
        },
      ),
    );
  });
});
