import type { Credential } from '../../src/core/credentials';
import type { Environment } from '../../src/core/environments';

/**
 * Objects a caller can hand the core in place of a real environment or credential. Each one claims
 * to be `claimed` (its id reads as claimed.id, at least the first time) while carrying, or later
 * turning into, the hosts of `other`. The core must send the key to claimed's host or nowhere.
 */
export interface ForgedEnvironment {
  readonly environment: Environment;
  /** Run after the credential or client was built with it: the "changed after create" attacks act here. */
  readonly afterCreate: () => void;
}

type Forge = (claimed: Environment, other: Environment) => ForgedEnvironment;

const hostsOf = (env: Environment): Pick<Environment, 'restBaseUrl' | 'wsApiUrl' | 'streamUrl'> => ({
  restBaseUrl: env.restBaseUrl,
  wsApiUrl: env.wsApiUrl,
  streamUrl: env.streamUrl,
});

const nothing = (): void => undefined;

/** An id that answers `first` on the first read and `later` on every read after it. */
function flippingId(first: string, later: string): () => string {
  let reads = 0;
  return () => (reads++ === 0 ? first : later);
}

export const ENVIRONMENT_FORGERIES: Readonly<Record<string, Forge>> = {
  'spread with another host': (claimed, other) => ({
    environment: { ...claimed, ...hostsOf(other) },
    afterCreate: nothing,
  }),
  "another environment spread with this one's id": (claimed, other) => ({
    environment: { ...other, id: claimed.id },
    afterCreate: nothing,
  }),
  'prototype-chained with own hosts': (claimed, other) => ({
    environment: Object.create(claimed, {
      restBaseUrl: { value: other.restBaseUrl },
      wsApiUrl: { value: other.wsApiUrl },
      streamUrl: { value: other.streamUrl },
    }) as Environment,
    afterCreate: nothing,
  }),
  'prototype-chained onto another with an own id': (claimed, other) => ({
    environment: Object.create(other, { id: { value: claimed.id } }) as Environment,
    afterCreate: nothing,
  }),
  'proxy answering this id over another': (claimed, other) => ({
    environment: new Proxy(
      { ...other },
      { get: (target, name, receiver) => (name === 'id' ? claimed.id : Reflect.get(target, name, receiver)) },
    ),
    afterCreate: nothing,
  }),
  'proxy answering another id after the first read': (claimed, other) => {
    const id = flippingId(claimed.id, other.id);
    return {
      environment: new Proxy(
        { ...other },
        { get: (target, name, receiver) => (name === 'id' ? id() : Reflect.get(target, name, receiver)) },
      ),
      afterCreate: nothing,
    };
  },
  'class whose id getter answers this id': (claimed, other) => {
    class ForgedEnvironment {
      readonly kind = other.kind;
      readonly label = claimed.label;
      readonly restBaseUrl = other.restBaseUrl;
      readonly wsApiUrl = other.wsApiUrl;
      readonly streamUrl = other.streamUrl;
      readonly resetsPeriodically = other.resetsPeriodically;
      get id(): string {
        return claimed.id;
      }
    }
    return { environment: new ForgedEnvironment(), afterCreate: nothing };
  },
  'getter answering another id after the first read': (claimed, other) => {
    const id = flippingId(claimed.id, other.id);
    return {
      environment: Object.defineProperty({ ...other }, 'id', { get: id, enumerable: true }) as Environment,
      afterCreate: nothing,
    };
  },
  'hosts changed after create': (claimed, other) => {
    const environment = { ...claimed };
    return { environment, afterCreate: () => Object.assign(environment, hostsOf(other)) };
  },
  'turned into another after create': (claimed, other) => {
    const environment = { ...claimed };
    return { environment, afterCreate: () => Object.assign(environment, other) };
  },
};

/**
 * Things that are not a Credential but look like one, each wrapping a real key of one environment
 * and claiming `other`. Only genuine Credentials may sign.
 */
export const CREDENTIAL_FORGERIES: Readonly<Record<string, (real: Credential, other: Environment) => Credential>> = {
  'look-alike object delegating to a real key': (real, other) =>
    ({
      id: real.id,
      label: real.label,
      keyType: real.keyType,
      environment: other,
      get apiKey() {
        return real.apiKey;
      },
      get maskedApiKey() {
        return real.maskedApiKey;
      },
      hmacSecret: () => real.hmacSecret(),
      privateKey: () => real.privateKey(),
    }) as unknown as Credential,
  'proxy over a real key with another environment': (real, other) =>
    new Proxy(real, {
      get: (target, name) => {
        if (name === 'environment') return other;
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }),
  'object chained onto a real key with another environment': (real, other) =>
    Object.create(real, { environment: { value: other } }) as Credential,
};
