import { Credential } from '../../src/core/credentials';
import type { Environment } from '../../src/core/environments';

/** Distinctive values so a leak is easy to spot in any string. */
export const TEST_API_KEY = 'tdAPIKEYzzUnit0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';
export const TEST_SECRET = 'tdSECRETqqUnit9876543210ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponm';

export function hmacCredential(environment: Environment, apiKey = TEST_API_KEY, secret = TEST_SECRET): Credential {
  return Credential.create({
    id: `k-${environment.id}`,
    label: `test key ${environment.kind}`,
    environment,
    keyType: 'hmac',
    apiKey,
    secret,
  });
}
