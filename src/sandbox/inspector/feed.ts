/**
 * The live request feed: ws://127.0.0.1:PORT/sandbox/v1/requests/stream sends each new record as
 * one JSON text frame (a record holds no secret, see record.ts). Local programs only, like every
 * control endpoint.
 */
import type { WebSocket } from 'ws';
import type { RequestRecorder } from './recorder';

export const REQUEST_FEED_PATH = '/sandbox/v1/requests/stream';

/** A reader that falls this far behind is dropped rather than let the sandbox buffer for it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function feedRequests(ws: WebSocket, recorder: RequestRecorder): void {
  const stop = recorder.subscribe((record) => {
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'too far behind: read GET /sandbox/v1/requests?after=ID to catch up');
      return;
    }
    ws.send(JSON.stringify(record));
  });
  ws.on('close', stop);
  ws.on('error', stop);
}
