/**
 * Why a signature failed (-1022), found with the key in hand: the sandbox tries the mistakes bot
 * developers make (request-diagnosis.md) and names the one whose signature verifies. Nothing here
 * is kept but the diagnosis: the payload shown is the request's own parameters (a WebSocket
 * request's apiKey masked), never the secret or the signature.
 */
import { ApiKeyRecord, verifySignature, wsPayload } from '../auth';
import type { Diagnosis } from './record';
import { decodeFormComponent, maskKey } from './redact';

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/ ]+={0,2}$/;

const KEY_NAMES = { hmac: 'HMAC', ed25519: 'Ed25519', rsa: 'RSA' } as const;

/** The shape of the signature does not fit the key's algorithm. */
function wrongAlgorithm(record: ApiKeyRecord, signature: string): Diagnosis | undefined {
  if (record.kind === 'hmac' && !HEX_64.test(signature) && BASE64.test(signature))
    return {
      cause: `An Ed25519 or RSA (base64) signature was sent with an HMAC key.`,
      fix: 'Sign with HMAC-SHA256 using the secret of this key, as 64 hex digits; or send the API key of your Ed25519/RSA key.',
      details: { keyType: 'HMAC', signatureLength: signature.length },
    };
  if (record.kind !== 'hmac' && HEX_64.test(signature))
    return {
      cause: `An HMAC-SHA256 (hex) signature was sent with an ${KEY_NAMES[record.kind]} key.`,
      fix: `Sign with the ${KEY_NAMES[record.kind]} private key of this API key (base64 signature), or send the API key of your HMAC key.`,
      details: { keyType: KEY_NAMES[record.kind], signatureLength: signature.length },
    };
  return undefined;
}

interface Variant {
  payload: string;
  cause: string;
  fix: string;
}

/** -1022 on REST: `rawQuery` and `rawBody` as received (without the signature pair). */
export function diagnoseRestSignature(
  record: ApiKeyRecord,
  signature: string,
  rawQuery: string,
  rawBody: string,
): Diagnosis {
  const sent = rawQuery + rawBody;
  const details = { keyType: KEY_NAMES[record.kind], verifiedPayload: sent };
  const algorithm = wrongAlgorithm(record, signature);
  if (algorithm) return algorithm;
  const verifies = (payload: string, sig = signature): boolean =>
    verifySignature(record, Buffer.from(payload, 'latin1'), sig);

  // A base64 signature whose '+' was sent as is: form decoding turned it into a space.
  if (signature.includes(' ') && verifies(sent, signature.replace(/ /g, '+')))
    return {
      cause: "The signature's '+' characters were not percent-encoded, so they arrived as spaces.",
      fix: 'Percent-encode the signature before sending it (+ as %2B, / as %2F, = as %3D).',
      details,
    };
  const variants: Variant[] = [];
  const decoded = sent.split('&').map(decodeFormComponent).join('&');
  if (decoded !== sent)
    variants.push({
      payload: decoded,
      cause: 'The signature is over the parameters before percent-encoding, but they were sent percent-encoded.',
      fix: 'Percent-encode every value first (RFC 3986), then sign exactly the encoded query string and body you send.',
    });
  const pairs = sent.split('&').filter((p) => p !== '');
  const sorted = [...pairs].sort((a, b) => a.localeCompare(b)).join('&');
  if (sorted !== sent)
    variants.push({
      payload: sorted,
      cause: 'The parameters were signed in one order (sorted by name) and sent in another.',
      fix: 'Sign the parameters in exactly the order you send them (or send them in the order you signed).',
    });
  if (rawQuery !== '' && rawBody !== '') {
    variants.push(
      {
        payload: rawQuery,
        cause: 'Only the query string was signed, but parameters were also sent in the body.',
        fix: 'Sign the query string followed directly by the body (no & between), or send every parameter in one place.',
      },
      {
        payload: rawBody,
        cause: 'Only the body was signed, but parameters were also sent in the query string.',
        fix: 'Sign the query string followed directly by the body (no & between), or send every parameter in one place.',
      },
      {
        payload: `${rawQuery}&${rawBody}`,
        cause:
          "The query string and the body were signed joined with '&'; the payload is the two directly concatenated.",
        fix: 'Sign query string + body with nothing between them.',
      },
    );
  }
  for (const variant of variants)
    if (verifies(variant.payload)) return { cause: variant.cause, fix: variant.fix, details };
  return noMatch(record, details);
}

/** -1022 on the WebSocket API: `params` as received. */
export function diagnoseWsSignature(record: ApiKeyRecord, params: Record<string, unknown>): Diagnosis {
  const signature = String(params.signature ?? '');
  const expected = wsPayload(params).toString('utf8');
  const details = { keyType: KEY_NAMES[record.kind], verifiedPayload: maskApiKey(expected) };
  const algorithm = wrongAlgorithm(record, signature);
  if (algorithm) return algorithm;
  const verifies = (payload: string): boolean => verifySignature(record, Buffer.from(payload, 'utf8'), signature);
  const asSent = Object.keys(params)
    .filter((name) => name !== 'signature')
    .map((name) => `${name}=${String(params[name])}`)
    .join('&');
  if (asSent !== expected && verifies(asSent))
    return {
      cause: 'The parameters were signed in the order they were sent; the WebSocket API signs them sorted by name.',
      fix: 'Sort the parameters (apiKey and timestamp included) alphabetically by name before signing.',
      details,
    };
  const withoutKey = wsPayload(Object.fromEntries(Object.entries(params).filter(([n]) => n !== 'apiKey'))).toString(
    'utf8',
  );
  if (verifies(withoutKey))
    return {
      cause: 'apiKey was left out of the signed payload; on the WebSocket API it is a parameter like the others.',
      fix: 'Include apiKey=… in the sorted parameters you sign.',
      details,
    };
  return noMatch(record, details);
}

function noMatch(record: ApiKeyRecord, details: Diagnosis['details']): Diagnosis {
  return {
    cause:
      record.kind === 'hmac'
        ? 'No known mistake explains it: the secret used is not the one of this API key, or the bytes signed differ from the payload below.'
        : 'No known mistake explains it: the private key used does not belong to this API key, or the bytes signed differ from the payload below.',
    fix: 'Check that the key pair belongs together (the sandbox keys are in its data folder keys.json), and sign exactly the payload shown.',
    details,
  };
}

function maskApiKey(payload: string): string {
  return payload.replace(/(^|&)apiKey=([^&]*)/, (_m, lead: string, key: string) => `${lead}apiKey=${maskKey(key)}`);
}
