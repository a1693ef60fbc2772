/**
 * Section 3: per-request overhead and order throughput against the in-process sandbox (real
 * sockets on 127.0.0.1). Participants take turns one request at a time (round-robin, start rotated
 * each round) so that drift (GC, CPU frequency, the other processes on this machine) hits them alike.
 */
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../../src/sandbox';
import { Caller, createCallers, ORDER, ourClient } from '../lib/callers';
import { connectionsSeen, nonLoopbackSeen, resetConnectionsSeen } from '../lib/loopbackGuard';
import { fixed, int, markdownTable, percentile, ratio, rotated, sum } from '../lib/stats';

interface Plan {
  warmupRounds: number;
  maxRounds: number;
  budgetMs: number;
  /** Runs untimed after every `everyRounds` rounds (e.g. cancel-all). */
  housekeeping?: { everyRounds: number; run: () => Promise<void> };
}

interface Measured {
  latencies: Map<string, number[]>;
  rounds: number;
  issued: number;
}

async function interleave(callers: Caller[], op: (c: Caller) => Promise<unknown>, plan: Plan): Promise<Measured> {
  let issued = 0;
  for (let r = 0; r < plan.warmupRounds; r++) {
    for (const c of rotated(callers, r)) {
      await op(c);
      issued++;
    }
    if (plan.housekeeping && (r + 1) % plan.housekeeping.everyRounds === 0) await plan.housekeeping.run();
  }
  await plan.housekeeping?.run();
  const latencies = new Map<string, number[]>(callers.map((c) => [c.name, []]));
  const started = performance.now();
  let rounds = 0;
  for (; rounds < plan.maxRounds && performance.now() - started < plan.budgetMs; rounds++) {
    for (const c of rotated(callers, rounds)) {
      const t0 = performance.now();
      await op(c);
      latencies.get(c.name)!.push(performance.now() - t0);
      issued++;
    }
    if (plan.housekeeping && (rounds + 1) % plan.housekeeping.everyRounds === 0) await plan.housekeeping.run();
  }
  await plan.housekeeping?.run();
  return { latencies, rounds, issued };
}

function table(callers: Caller[], m: Measured, referenceName: string, sameTransportName: string): string {
  const ref = m.latencies.get(referenceName)!;
  const refP50 = percentile(ref, 50);
  const sameTransportP50 = percentile(m.latencies.get(sameTransportName)!, 50);
  const refOps = (ref.length * 1000) / sum(ref);
  const rows = callers.map((c) => {
    const l = m.latencies.get(c.name)!;
    const ops = (l.length * 1000) / sum(l);
    const isRef = c.name === referenceName;
    return [
      c.name,
      String(l.length),
      fixed(percentile(l, 50), 3),
      fixed(percentile(l, 99), 3),
      int(ops),
      isRef ? '1.00× (reference)' : ratio(percentile(l, 50), refP50),
      isRef ? '1.00× (reference)' : ratio(ops, refOps),
      c.name === sameTransportName ? '1.00×' : ratio(percentile(l, 50), sameTransportP50),
    ];
  });
  return markdownTable(
    [
      'client',
      'n',
      'p50 ms',
      'p99 ms',
      'ops/s',
      'p50 vs plain fetch',
      'ops/s vs plain fetch',
      'p50 vs plain node-fetch',
    ],
    rows,
  );
}

export async function runSandboxRequests(): Promise<string> {
  const sandbox = await startSandbox({
    marketMaker: false,
    rateLimits: { weightPerMinute: 1_000_000_000, ordersPer10s: 1_000_000_000, ordersPerDay: 1_000_000_000 },
  });
  try {
    resetConnectionsSeen();
    const key = { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, secret: sandbox.secret };
    const callers = createCallers(key);
    const reference = callers[1].name;
    // Plain Node over node-fetch uses the same HTTP stack as our FetchTransport: the fair baseline for our client's own overhead.
    const sameTransport = callers[2].name;
    const admin = ourClient(key);
    const requestsBefore = sandbox.stats.requests;

    const account = await interleave(callers, (c) => c.account(), {
      warmupRounds: 100,
      maxRounds: 1500,
      budgetMs: 25_000,
    });
    let cancelCalls = 0;
    const cancelAll = async (): Promise<void> => {
      cancelCalls++;
      try {
        await admin.cancelAllOpenOrders(ORDER.symbol);
      } catch (error) {
        if (!/-2011|Unknown order/i.test(String((error as Error).message))) throw error; // nothing open
      }
    };
    // 40 rounds x 4 clients = 160 resting orders at most, under the symbol's MAX_NUM_ORDERS (200).
    const orders = await interleave(callers, (c) => c.order(), {
      warmupRounds: 20,
      maxRounds: 600,
      budgetMs: 20_000,
      housekeeping: { everyRounds: 40, run: cancelAll },
    });

    const counted = sandbox.stats.requests - requestsBefore;
    const expected = account.issued + orders.issued + cancelCalls;
    const byPath = sandbox.stats.byPath;
    const timeSyncs = byPath['GET /api/v3/time'] ?? 0;
    const accountCount = byPath['GET /api/v3/account'] ?? 0;
    const orderCount = byPath['POST /api/v3/order'] ?? 0;
    if (counted !== expected + timeSyncs || accountCount !== account.issued || orderCount !== orders.issued) {
      throw new Error(
        `sandbox counts do not match what the bench sent: counted ${counted}, sent ${expected} + ${timeSyncs} time syncs; account ${accountCount}/${account.issued}; orders ${orderCount}/${orders.issued}`,
      );
    }
    const hosts = [...connectionsSeen().entries()]
      .map(([h, n]) => `${h} (${n} connection${n === 1 ? '' : 's'})`)
      .join(', ');
    const foreign = nonLoopbackSeen();
    if (foreign.length > 0) throw new Error(`non-loopback connections attempted: ${foreign.join(', ')}`);
    return [
      '### 3. Per-request overhead against the local sandbox',
      '',
      `Sandbox started in-process (market maker off, rate limits raised so nothing is throttled), real HTTP over 127.0.0.1, keep-alive on every client (Node 20 agents / undici). Concurrency 1; participants interleaved round-robin with the start rotated each round, after a warm-up. ops/s = samples ÷ time spent in that client's requests. Reference row: plain Node with global fetch; the last column compares with plain Node over node-fetch v2, the HTTP stack our FetchTransport uses, so it isolates SpotClient + Signer overhead from the transport. The sandbox runs in the same process, so its own handling time is part of every row alike.`,
      '',
      `**Signed GET /api/v3/account** (${account.rounds} rounds after 100 warm-up rounds)`,
      '',
      table(callers, account, reference, sameTransport),
      '',
      `**Signed POST /api/v3/order** (LIMIT GTC BUY ${ORDER.quantity} ${ORDER.symbol} @ ${ORDER.price}, half the last price, so it rests; untimed DELETE /api/v3/openOrders every 40 rounds; ${orders.rounds} rounds after 20 warm-up rounds). Orders/s = ops/s.`,
      '',
      table(callers, orders, reference, sameTransport),
      '',
      `Host check: every TCP connection this process opened during the section: ${hosts || 'none'}. No other host was contacted (a guard on net.Socket#connect refuses non-loopback targets). The sandbox counted exactly what the bench sent: ${accountCount} GET /api/v3/account (= ${account.issued} issued, warm-up included), ${orderCount} POST /api/v3/order (= ${orders.issued}), ${cancelCalls} cancel-alls and ${timeSyncs} GET /api/v3/time clock syncs by SpotClient; so every @binance/spot request went to the sandbox.`,
    ].join('\n');
  } finally {
    await sandbox.close();
  }
}
