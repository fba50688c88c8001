// How values cross between threads: exactly as structuredClone/postMessage give them (README "Values: copied,
// shared or moved"; docs/internals.md "Values").
//  - encode/decode: the fast path for small plain values, written straight into a slot's data area with no
//    serializer call (a serializer round trip costs ~6 us, more than the whole per-task budget at 20 us grain).
//    It takes primitives (not bigint/symbol) and plain arrays and objects of them, and only where the result is
//    what structuredClone would give: no holes, no extra array properties, no object seen twice (shared or
//    cyclic references), no proxies or exotic objects. Anything else returns -1 and the caller packs the value.
//  - pack/unpackBytes: V8's own serializer (the one structuredClone uses; not v8.serialize, whose typed arrays
//    come back as views into the transport buffer). A value holding a SharedArrayBuffer, a host object
//    (MessagePort...) or something moved with move() cannot travel as bytes: pack returns it to be posted.
import v8 from 'node:v8';
import { types } from 'node:util';
import type { TransferListItem } from 'node:worker_threads';
import { movedIn } from '../move.js';

const enum T { UNDEF = 0, NULL = 1, TRUE = 2, FALSE = 3, F64 = 4, STR = 5, ARR = 6, OBJ = 7, I32 = 8 }
const MAX_DEPTH = 16;
const MAX_OBJECTS = 64; // objects in one fast-path value (each is checked against the others: no shared ones)
const toStringOf = Object.prototype.toString;
const seen: object[] = [];

/**
 * Writes v at byte offset pos (not past end); returns the next offset, or -1 if it does not fit or is not plain.
 * `spread`: v is an argument list (spread into the call, so its own holes and extra properties do not matter).
 */
export function encode(dv: DataView, v: unknown, pos: number, end: number, spread = false): number {
  const base = seen.length; // re-entrant: a getter may fork
  try {
    return put(dv, v, pos, end, 0, base, spread);
  } finally {
    seen.length = base;
  }
}

function put(dv: DataView, v: unknown, pos: number, end: number, depth: number, base: number, spread: boolean): number {
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
        if (pos + 5 > end) return -1;
        dv.setUint8(pos, T.I32); dv.setInt32(pos + 1, v, true);
        return pos + 5;
      }
      if (pos + 9 > end) return -1;
      dv.setUint8(pos, T.F64); dv.setFloat64(pos + 1, v, true);
      return pos + 9;
    case 'string': {
      const n = v.length;
      if (pos + 5 + 2 * n > end) return -1;
      dv.setUint8(pos, T.STR); dv.setUint32(pos + 1, n, true);
      let p = pos + 5;
      for (let k = 0; k < n; k++, p += 2) dv.setUint16(p, v.charCodeAt(k), true);
      return p;
    }
    case 'boolean':
      if (pos + 1 > end) return -1;
      dv.setUint8(pos, v ? T.TRUE : T.FALSE);
      return pos + 1;
    case 'undefined':
      if (pos + 1 > end) return -1;
      dv.setUint8(pos, T.UNDEF);
      return pos + 1;
    case 'object': {
      if (v === null) {
        if (pos + 1 > end) return -1;
        dv.setUint8(pos, T.NULL);
        return pos + 1;
      }
      if (depth >= MAX_DEPTH || pos + 5 > end) return -1;
      if (!spread) {
        // Seen before in this value: structuredClone keeps the sharing (or the cycle), this encoding cannot.
        for (let k = base; k < seen.length; k++) if (seen[k] === v) return -1;
        if (seen.length - base >= MAX_OBJECTS || types.isProxy(v)) return -1;
        seen.push(v);
      }
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const a = v as unknown[];
        const n = a.length;
        // Extra properties (a.foo = 1) travel with structuredClone: refuse them (Object.keys counts them; holes
        // make the count smaller, and the element loop below refuses those even when the two cancel out).
        if (!spread && Object.keys(a).length !== n) return -1;
        dv.setUint8(pos, T.ARR); dv.setUint32(pos + 1, n, true);
        let p = pos + 5;
        for (let k = 0; k < n && p >= 0; k++) {
          const x = a[k];
          if (x === undefined && !spread && !(k in a)) return -1; // a hole stays a hole in structuredClone
          p = put(dv, x, p, end, depth + 1, base, false);
        }
        return p;
      }
      // Plain objects only: arguments objects, errors, dates... report their class even with Object.prototype.
      if ((proto === Object.prototype || proto === null) && toStringOf.call(v) === '[object Object]') {
        const keys = Object.keys(v);
        dv.setUint8(pos, T.OBJ); dv.setUint32(pos + 1, keys.length, true);
        let p = pos + 5;
        for (let k = 0; k < keys.length && p >= 0; k++) {
          p = put(dv, keys[k], p, end, depth + 1, base, false);
          if (p >= 0) p = put(dv, (v as Record<string, unknown>)[keys[k]!], p, end, depth + 1, base, false);
        }
        return p;
      }
      return -1;
    }
    default:
      return -1;
  }
}

/** Reads a value written by encode at cursor.pos, advancing it. */
export function decode(dv: DataView, cursor: { pos: number }): unknown {
  const pos = cursor.pos;
  const tag = dv.getUint8(pos);
  switch (tag) {
    case T.I32: cursor.pos = pos + 5; return dv.getInt32(pos + 1, true);
    case T.F64: cursor.pos = pos + 9; return dv.getFloat64(pos + 1, true);
    case T.UNDEF: cursor.pos = pos + 1; return undefined;
    case T.NULL: cursor.pos = pos + 1; return null;
    case T.TRUE: cursor.pos = pos + 1; return true;
    case T.FALSE: cursor.pos = pos + 1; return false;
    case T.STR: {
      const n = dv.getUint32(pos + 1, true);
      let p = pos + 5;
      let s = '';
      const codes: number[] = new Array(Math.min(n, 4096));
      for (let done = 0; done < n;) {
        const m = Math.min(n - done, 4096);
        codes.length = m;
        for (let k = 0; k < m; k++, p += 2) codes[k] = dv.getUint16(p, true);
        s += String.fromCharCode.apply(null, codes);
        done += m;
      }
      cursor.pos = p;
      return s;
    }
    case T.ARR: {
      const n = dv.getUint32(pos + 1, true);
      cursor.pos = pos + 5;
      const a = new Array(n);
      for (let k = 0; k < n; k++) a[k] = decode(dv, cursor);
      return a;
    }
    case T.OBJ: {
      const n = dv.getUint32(pos + 1, true);
      cursor.pos = pos + 5;
      const o: Record<string, unknown> = {};
      for (let k = 0; k < n; k++) {
        const key = decode(dv, cursor) as string;
        const value = decode(dv, cursor);
        if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
        else o[key] = value;
      }
      return o;
    }
    default:
      throw new Error(`tsfork: corrupt task data (tag ${tag} at ${pos})`);
  }
}


/** A value ready to cross: serialized bytes (for a slot, or the big-payload channel), or the value to post. */
export type Packed = { bytes: Uint8Array; post?: undefined } | { bytes?: undefined; post: Posted };
/** Travels by postMessage (structured clone itself), transferring `transfer`. */
export interface Posted { value: unknown; transfer: TransferListItem[] }

const POST = Symbol('post it');
class ByteSerializer extends v8.Serializer {
  // Node's v8.Deserializer cannot read a SharedArrayBuffer back, and host objects (MessagePort, KeyObject...)
  // only cross by postMessage: such a value is posted instead.
  _getSharedArrayBufferId(): number { throw POST; }
  _writeHostObject(): void { throw POST; }
}

/** Packs v (throws the serializer's error for a value that cannot be cloned). */
export function pack(v: unknown): Packed {
  const transfer = movedIn(v);
  if (transfer.length === 0) {
    const s = new ByteSerializer();
    s.writeHeader();
    try {
      s.writeValue(v);
      return { bytes: s.releaseBuffer() };
    } catch (e) {
      if (e !== POST) throw e;
    }
  }
  return { post: { value: v, transfer } };
}

/** The value packed into bytes (which may be a view into shared memory: everything read is copied out). */
export function unpackBytes(bytes: Uint8Array): unknown {
  const d = new v8.Deserializer(bytes);
  d.readHeader();
  return d.readValue();
}

const scratch = new DataView(new ArrayBuffer(4096));

/**
 * Why `v` cannot be structured-cloned to another thread (the error the serializer throws), or undefined when it
 * can. Primitives and small plain values pass the inline codec's check without a trial clone.
 */
export function cloneProblem(v: unknown): unknown {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol')) return undefined;
  if (typeof v === 'object' && encode(scratch, v, 0, scratch.byteLength) >= 0) return undefined;
  try {
    const p = pack(v);
    // Only postMessage knows whether a posted value clones (a MessagePort not moved does not); moved items
    // are not tried, a trial would copy or refuse them.
    if (p.post && p.post.transfer.length === 0) structuredClone(v);
    return undefined;
  } catch (e) {
    return e;
  }
}
