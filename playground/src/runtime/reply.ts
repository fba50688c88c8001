// A task's result travels back through shared memory, not a message: the thread that joins may be blocked in
// Atomics.wait, and a blocked worker cannot receive messages. Layout: Int32 state, Int32 byte length, UTF-8 payload.
const HEADER = 8;
const INITIAL = 4096;
export const MAX_PAYLOAD = 32 << 20;

export const PENDING = 0;
export const OK = 1;
export const FAILED = 2;

export type ReplyState = typeof PENDING | typeof OK | typeof FAILED;

export function createReply(): SharedArrayBuffer {
  // Growable when the browser supports it, so small results cost 4 KiB and large ones still fit.
  try {
    return new SharedArrayBuffer(HEADER + INITIAL, { maxByteLength: HEADER + MAX_PAYLOAD });
  } catch {
    return new SharedArrayBuffer(HEADER + (1 << 20));
  }
}

function header(reply: SharedArrayBuffer): Int32Array {
  return new Int32Array(reply, 0, 2);
}

export function writeReply(reply: SharedArrayBuffer, state: typeof OK | typeof FAILED, payload: string): void {
  const bytes = new TextEncoder().encode(payload);
  const needed = HEADER + bytes.byteLength;
  if (needed > reply.byteLength) {
    if (reply.growable && needed <= reply.maxByteLength) reply.grow(needed);
    else throw new RangeError(`tsfork playground: a result of ${bytes.byteLength} bytes does not fit the ${reply.byteLength - HEADER} byte reply buffer`);
  }
  new Uint8Array(reply, HEADER, bytes.byteLength).set(bytes);
  const h = header(reply);
  Atomics.store(h, 1, bytes.byteLength);
  Atomics.store(h, 0, state);
  Atomics.notify(h, 0);
}

export function replyState(reply: SharedArrayBuffer): ReplyState {
  return Atomics.load(header(reply), 0) as ReplyState;
}

export function readReply(reply: SharedArrayBuffer): string {
  const length = Atomics.load(header(reply), 1);
  // TextDecoder refuses views of shared memory: copy out first.
  const copy = new Uint8Array(length);
  copy.set(new Uint8Array(reply, HEADER, length));
  return new TextDecoder().decode(copy);
}

/** Blocks the calling worker until the reply is written. Throws on the page's main thread (Atomics.wait is not allowed there). */
export function waitReply(reply: SharedArrayBuffer): void {
  const h = header(reply);
  while (Atomics.load(h, 0) === PENDING) Atomics.wait(h, 0, PENDING);
}

export async function waitReplyAsync(reply: SharedArrayBuffer): Promise<void> {
  const h = header(reply);
  while (Atomics.load(h, 0) === PENDING) {
    const result = Atomics.waitAsync(h, 0, PENDING);
    if (result.async) await result.value;
  }
}
