/** The sandbox's version (the extension's), reported by the health endpoint, the lock and the discovery file. */
import { version } from '../../../package.json';

export const SANDBOX_VERSION: string = version;

/** What the health endpoint calls this program, so a client can tell it from anything else on the port. */
export const SANDBOX_SERVICE_NAME = 'testnet-desk-sandbox';
