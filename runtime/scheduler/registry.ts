// Function registry in shared memory: an append-only log of (id, ref as JSON), so any thread can load a function
// another thread forked, without messages. Each thread caches what it has loaded.
import { H, type Shared } from './layout.js';
import { toFunctionRef, loadFunction, type FunctionRef } from '../function-ref.js';

export class Registry {
  private ids = new WeakMap<Function, number>();
  private refs = new Map<number, FunctionRef>();
  private fns = new Map<number, Function>();
  private cursor = 0;
  constructor(private readonly sh: Shared) {}

  /** The id of fn, registering it (as its ref) on first use. Throws ForkError if it cannot reach a worker. */
  idOf(fn: Function): number {
    let id = this.ids.get(fn);
    if (id !== undefined) return id;
    const ref = toFunctionRef(fn);
    const json = JSON.stringify(ref);
    const { i32, dv, layout } = this.sh;
    const bytes = 8 + 2 * json.length;
    const need = (bytes + 3) & ~3;
    const at = Atomics.add(i32, H.FN_HEAD, need);
    if (at + need > layout.fnBytes) throw new Error(`tsfork: too many distinct forked functions (registry of ${layout.fnBytes} bytes is full)`);
    id = Atomics.add(i32, H.FN_NEXT_ID, 1) + 1;
    const base = layout.fnBase + at;
    dv.setInt32(base + 4, id, true);
    for (let k = 0; k < json.length; k++) dv.setUint16(base + 8 + 2 * k, json.charCodeAt(k), true);
    Atomics.store(i32, base >> 2, need); // published: readers see a complete entry
    this.ids.set(fn, id);
    this.refs.set(id, ref);
    this.fns.set(id, fn);
    return id;
  }

  refOf(id: number): FunctionRef {
    let ref = this.refs.get(id);
    const { i32, dv, layout } = this.sh;
    while (ref === undefined) {
      const base = layout.fnBase + this.cursor;
      const len = Atomics.load(i32, base >> 2);
      if (len === 0) continue; // being written by another thread right now
      const entryId = dv.getInt32(base + 4, true);
      const chars: number[] = [];
      // The entry's JSON fills the entry up to its padding; trailing zero chars are padding.
      for (let p = base + 8; p + 1 < base + len; p += 2) {
        const c = dv.getUint16(p, true);
        chars.push(c);
      }
      while (chars.length && chars[chars.length - 1] === 0) chars.pop();
      this.refs.set(entryId, JSON.parse(String.fromCharCode(...chars)) as FunctionRef);
      this.cursor += len;
      ref = this.refs.get(id);
    }
    return ref;
  }

  /** The function for id, loaded synchronously; throws if it cannot be. */
  load(id: number): Function {
    let fn = this.fns.get(id);
    if (fn === undefined) {
      fn = loadFunction(this.refOf(id));
      this.fns.set(id, fn);
      this.ids.set(fn, id);
    }
    return fn;
  }

  loaded(id: number): Function | undefined {
    return this.fns.get(id);
  }

  remember(id: number, fn: Function): void {
    this.fns.set(id, fn);
    this.ids.set(fn, id);
  }
}
