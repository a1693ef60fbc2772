/**
 * Parameter errors: -1104 (one nothing read, perhaps a misspelling of one it reads), -1102 (a
 * mandatory one missing, perhaps sent under a misspelled name), -1106
 * (one the order type does not take) and -1111 (more decimals than allowed, often a float printed
 * as is).
 */
import { dec, floorToStep, fmt, significantDecimals, tryParseDec } from '../decimal';
import type { Engine } from '../engine';
import type { ApiError } from '../errors';
import type { Diagnosis } from './record';

export interface ParameterError {
  error: ApiError;
  params: ReadonlyMap<string, string>;
  engine: Engine;
}

const NAMED = /'([A-Za-z]+)'/;

export function diagnoseParameter(request: ParameterError): Diagnosis | undefined {
  const { error, params } = request;
  const name = NAMED.exec(error.message)?.[1];
  if (name === undefined) return undefined;
  const type = params.get('type');
  switch (error.code) {
    case -1102: {
      // -1102 also says a value is out of range ("Cannot be greater than"): only a missing one here.
      if (!/^(Mandatory parameter|Param) '/.test(error.message)) return undefined;
      const lookalike = [...params.keys()].find((sent) => sent !== name && closeTo(sent, name));
      if (lookalike !== undefined)
        return {
          cause: `'${name}' is missing, and '${lookalike}' was sent: parameter names are case-sensitive and exact.`,
          fix: `Send it as '${name}'.`,
          details: { missing: name, sent: lookalike },
        };
      return {
        cause: `'${name}' is required${type ? ` for a ${type} order` : ''} and was not sent (or was empty).`,
        fix: `Add ${name}=…${name === 'timeInForce' ? ' (GTC, IOC or FOK)' : ''}.`,
        details: { missing: name },
      };
    }
    case -1106:
      return {
        cause: `${type ? `A ${type} order` : 'This request'} does not take '${name}'.`,
        fix: `Remove ${name}${name === 'timeInForce' && type ? ` (${type} orders have no time in force)` : ''}.`,
        details: { parameter: name },
      };
    case -1111:
      return precision(request, name);
    default:
      return undefined;
  }
}

/** -1104: the parameters nothing read, and for each the name it probably meant. */
export function diagnoseUnread(error: ApiError): Diagnosis {
  const unread = error.facts?.unread?.split(', ') ?? [];
  const known = error.facts?.known?.split(',') ?? [];
  const meant = unread.flatMap((name) => {
    const match = known.find((candidate) => closeTo(name, candidate));
    return match === undefined ? [] : [`'${name}' → '${match}'`];
  });
  return {
    cause: `The endpoint does not read ${unread.length > 0 ? unread.map((name) => `'${name}'`).join(', ') : 'some of the parameters sent'}${meant.length > 0 ? ` (did you mean ${meant.join(', ')}? names are case-sensitive)` : ''}.`,
    fix:
      meant.length > 0
        ? 'Spell the parameters exactly as the API names them.'
        : 'Remove the parameters the endpoint does not take (a typo, or one meant for another order type or endpoint).',
    details: { unread: unread.join(', ') },
  };
}

function precision(request: ParameterError, name: string): Diagnosis | undefined {
  const sent = request.params.get(name) ?? '';
  const symbol = request.params.get('symbol') ?? '';
  const value = tryParseDec(sent);
  if (value === undefined || !request.engine.hasSymbol(symbol)) return undefined;
  const config = request.engine.symbolConfig(symbol);
  const grid = name === 'quantity' ? config.stepSize : name === 'quoteOrderQty' ? undefined : config.tickSize;
  const rounded = grid === undefined ? undefined : fmt(floorToStep(value, dec(grid)));
  const decimals = significantDecimals(sent);
  return {
    cause: `${name} ${sent} has ${decimals} decimals; ${symbol} takes at most ${name === 'quantity' ? config.baseAssetPrecision : config.quoteAssetPrecision}${grid ? ` (and its grid is ${grid})` : ''}.${decimals > 10 ? ' A binary float printed as is looks like this.' : ''}`,
    fix: `Format it from a decimal rounded to the grid${rounded ? `: ${rounded}` : ''}, not from a float's full text.`,
    details: { parameter: name, sent, decimals, ...(rounded ? { rounded } : {}) },
  };
}

/** Same letters ignoring case, or one or two edits apart. */
function closeTo(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 2) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length] <= 2;
}
