/**
 * Rate limits: a 429 for request weight (how much this IP used this minute and where it went), a
 * 418 ban (why and until when), -1015 for orders, and a 429 or 418 forced by the faults endpoint.
 */
import type { ApiError } from '../errors';
import type { Diagnosis } from './record';

export interface Traffic {
  ip: string;
  /** Weight charged this minute, the refused requests' included. */
  used: number;
  /** The endpoints that used the most weight this minute (of the requests still recorded). */
  byEndpoint: [string, number][];
}

/** -1003: a 429 (the weight used and where it went), a 418 ban (why, until when), or a forced one. */
export function rateLimit(error: ApiError, traffic: Traffic | undefined, serverTime: number): Diagnosis {
  const retryAfter = error.headers['Retry-After'];
  if (error.facts?.forced)
    return {
      cause: `The sandbox was told to answer ${error.httpStatus} (POST /sandbox/v1/faults forceRateLimit), to test how the bot backs off.`,
      fix: `A well-behaved bot waits Retry-After (${retryAfter} s) before its next request.`,
      details: { retryAfterSeconds: Number(retryAfter) },
    };
  if (error.httpStatus === 418) return ipBan(error, serverTime);
  const limit = Number(error.message.match(/limit is (\d+)/)?.[1] ?? 0);
  const top = traffic?.byEndpoint[0];
  const share = top && traffic.used > 0 ? Math.round((100 * top[1]) / traffic.used) : 0;
  return {
    cause:
      `The request weight limit was reached: ${traffic?.used ?? '?'} of ${limit} this minute from ${traffic?.ip ?? 'this IP'}` +
      (top ? `, ${share}% of it from ${top[0]}.` : '.'),
    fix:
      `Wait ${retryAfter} s (Retry-After) before the next request; more than a few requests before then get the IP banned (418). ` +
      'Use the WebSocket streams instead of polling, and pass a symbol where an endpoint takes one (it weighs less).',
    details: {
      retryAfterSeconds: Number(retryAfter),
      weightUsed: traffic?.used ?? 0,
      weightLimit: limit,
      ...Object.fromEntries((traffic?.byEndpoint ?? []).map(([endpoint, weight]) => [`weight ${endpoint}`, weight])),
    },
  };
}

function ipBan(error: ApiError, serverTime: number): Diagnosis {
  const facts = error.facts ?? {};
  const until = Number(facts.bannedUntil ?? 0);
  const minutes = Math.round((until - serverTime) / 60_000);
  const when = `until ${new Date(until).toISOString()}`;
  const cause =
    facts.requestsAfter429 !== undefined
      ? `This IP sent ${facts.requestsAfter429} more requests after a 429 told it to wait, so it is banned ${when} (${minutes} min; ban ${facts.banNumber}: each ban doubles, from 2 minutes to 3 days).`
      : `This IP is banned ${when} for not backing off after 429s; every request until then is refused.`;
  return {
    cause,
    fix: 'Send nothing until Retry-After has passed, and make the bot wait a 429\'s Retry-After before its next request (one limiter shared by all its requests). In the sandbox, POST /sandbox/v1/faults {"clear": true} lifts the ban.',
    details: {
      bannedUntil: until,
      banNumber: Number(facts.banNumber ?? 0),
      retryAfterSeconds: Number(error.headers['Retry-After']),
    },
  };
}

/** -1015: too many orders in the window. */
export function orderRateLimit(error: ApiError): Diagnosis {
  const retryAfter = error.headers['Retry-After'];
  return {
    cause: `${error.message} Every order the account placed in the window counts, whoever placed it (the bot, the editor).`,
    fix: `Wait ${retryAfter} s (Retry-After); pace orders (a token bucket), and amend or cancel-replace instead of cancelling and placing anew.`,
    details: { retryAfterSeconds: Number(retryAfter) },
  };
}
