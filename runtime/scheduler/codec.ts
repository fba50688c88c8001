// Fast path for small values: arguments and results written straight into a slot's data area, with no general
// serializer call (v8.serialize costs ~6 us a round trip, more than the whole per-task budget at 20 us grain).
// Handles primitives (not bigint/symbol), and plain arrays and objects of them; anything else returns -1 and the
// caller falls back to v8.serialize.

const enum T { UNDEF = 0, NULL = 1, TRUE = 2, FALSE = 3, F64 = 4, STR = 5, ARR = 6, OBJ = 7, I32 = 8 }
const MAX_DEPTH = 16;

/** Writes v at byte offset pos (not past end); returns the next offset, or -1 if it does not fit or is not plain. */
export function encode(dv: DataView, v: unknown, pos: number, end: number, depth = 0): number {
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
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const a = v as unknown[];
        dv.setUint8(pos, T.ARR); dv.setUint32(pos + 1, a.length, true);
        let p = pos + 5;
        for (let k = 0; k < a.length && p >= 0; k++) p = encode(dv, a[k], p, end, depth + 1);
        return p;
      }
      if (proto === Object.prototype || proto === null) {
        const keys = Object.keys(v);
        dv.setUint8(pos, T.OBJ); dv.setUint32(pos + 1, keys.length, true);
        let p = pos + 5;
        for (let k = 0; k < keys.length && p >= 0; k++) {
          p = encode(dv, keys[k], p, end, depth + 1);
          if (p >= 0) p = encode(dv, (v as Record<string, unknown>)[keys[k]!], p, end, depth + 1);
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

const scratch = new DataView(new ArrayBuffer(4096));

/**
 * Why `v` cannot be structured-cloned to another thread (the error structuredClone throws), or undefined when it
 * can. Primitives and small plain values pass the inline codec's check without a trial clone.
 */
export function cloneProblem(v: unknown): unknown {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol')) return undefined;
  if (typeof v === 'object' && encode(scratch, v, 0, scratch.byteLength) >= 0) return undefined;
  try { structuredClone(v); return undefined; } catch (e) { return e; }
}
