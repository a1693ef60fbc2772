/**
 * The journal's record framing: [length u32 LE][crc32 u32 LE][payload]. A crash during a write
 * leaves at most a torn last frame (shorter than its length, or with a wrong checksum at the very
 * end), which was never acknowledged and is dropped; a bad frame followed by more data is damage
 * in the middle, which the reader reports instead of guessing.
 */
import { crc32 } from 'node:zlib';

const HEADER_BYTES = 8;
/** Far above any record (an order command is a few hundred bytes); a larger length is damage. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

export type FrameEnd =
  /** Every byte belongs to a whole, valid frame. */
  | { kind: 'clean' }
  /** The last frame is incomplete or its checksum fails and nothing follows it: a write the crash cut. */
  | { kind: 'torn'; at: number }
  /** A frame fails its checks and more data follows: the file was damaged after it was written. */
  | { kind: 'damaged'; at: number; index: number; reason: string };

export interface DecodedFrames {
  payloads: Buffer[];
  /** Bytes of whole, valid frames from the start (where a torn tail is cut). */
  validBytes: number;
  end: FrameEnd;
}

export function decodeFrames(data: Buffer): DecodedFrames {
  const payloads: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const left = data.length - at;
    if (left < HEADER_BYTES) return { payloads, validBytes: at, end: { kind: 'torn', at } };
    const length = data.readUInt32LE(at);
    const checksum = data.readUInt32LE(at + 4);
    if (length > MAX_FRAME_BYTES) return damagedOrTorn(payloads, at, data.length, 'an impossible record length');
    if (HEADER_BYTES + length > left) return { payloads, validBytes: at, end: { kind: 'torn', at } };
    const payload = data.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
    const next = at + HEADER_BYTES + length;
    if (crc32(payload) !== checksum) return damagedOrTorn(payloads, at, data.length, 'a checksum mismatch', next);
    payloads.push(payload);
    at = next;
  }
  return { payloads, validBytes: at, end: { kind: 'clean' } };
}

function damagedOrTorn(payloads: Buffer[], at: number, size: number, reason: string, frameEnd = size): DecodedFrames {
  // A bad last frame is what a crash mid-write leaves (the file grew before the data reached disk).
  if (frameEnd >= size) return { payloads, validBytes: at, end: { kind: 'torn', at } };
  return { payloads, validBytes: at, end: { kind: 'damaged', at, index: payloads.length, reason } };
}
