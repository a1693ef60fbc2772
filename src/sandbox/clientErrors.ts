/**
 * Requests that Node's HTTP parser rejects (a malformed request line, a URL or headers over its
 * header size limit) or that do not arrive in time reach the server's 'clientError' event, never
 * the request handler. Node's own answer there is a bare status line; the sandbox answers like it
 * answers every other rejection, with a Binance-style JSON error saying what was wrong, and closes
 * the connection.
 */
import { maxHeaderSize, ServerResponse, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { send } from './httpServer';
import { HttpTimeouts } from './httpTimeouts';

/** What node:http passes to 'clientError': llhttp errors carry an HPE_* code and a reason. */
export interface ClientError extends Error {
  code?: string;
  reason?: string;
}

export interface ClientErrorAnswer {
  status: number;
  body: { code: number; msg: string };
}

/**
 * After answering, the connection is destroyed this long later at the latest. Destroying it at once,
 * with the rest of a long request still unread, resets it, and a reset can make the client lose
 * the answer before it read it.
 */
const LINGER_MS = 1_000;

const seconds = (ms: number): string => `${ms / 1000} s`;

export function describeClientError(error: ClientError, timeouts: Required<HttpTimeouts>): ClientErrorAnswer {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        body: {
          code: -1000,
          msg:
            `The request did not arrive in time: the request line and headers must arrive within ` +
            `${seconds(timeouts.headersMs)} and the whole request within ${seconds(timeouts.requestMs)}. ` +
            `The connection is closed; send the request again, in full.`,
        },
      };
    case 'HPE_HEADER_OVERFLOW':
      // The same -1101 as a body over the size limit (413): too many parameters for one request.
      return {
        status: 431,
        body: {
          code: -1101,
          msg:
            `Too many parameters; the request line and headers exceed ${maxHeaderSize} bytes (a long URL ` +
            `counts). Send long parameter lists in the request body instead.`,
        },
      };
    default:
      return {
        status: 400,
        body: {
          code: -1000,
          msg: `Malformed HTTP request (${error.reason ?? error.message}); the connection is closed.`,
        },
      };
  }
}

export class ClientErrorResponder {
  /** The response under way on each connection, so an error answer is never written into one. */
  private readonly inFlight = new WeakMap<Duplex, ServerResponse>();
  /** Node's parser reports its error again for every later chunk of the connection: answer once. */
  private readonly answered = new WeakSet<Duplex>();

  constructor(
    private readonly timeouts: Required<HttpTimeouts>,
    private readonly log: (line: string) => void,
  ) {}

  /** For every request (the server's 'request' event). */
  track(res: ServerResponse): void {
    const socket = res.socket;
    if (!socket) return;
    this.inFlight.set(socket, res);
    res.once('close', () => {
      if (this.inFlight.get(socket) === res) this.inFlight.delete(socket);
    });
  }

  /** The server's 'clientError' handler. */
  answer(error: ClientError, socket: Duplex): void {
    if (this.answered.has(socket)) return;
    this.answered.add(socket);
    const res = this.inFlight.get(socket);
    if (!socket.writable || res?.headersSent) {
      // Gone, or in the middle of an answer that a second status line would corrupt.
      socket.destroy();
      return;
    }
    const { status, body } = describeClientError(error, this.timeouts);
    // The code only: the raw request may hold a key's signature.
    this.log(`rejected a request: ${status} (${error.code ?? 'unknown error'})`);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
    if (res) {
      // The handler is waiting for a body that stopped coming: answer on its own response.
      send(res, status, body, { Connection: 'close' });
      return;
    }
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json;charset=UTF-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
}
