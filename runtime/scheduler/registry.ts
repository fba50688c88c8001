// Function registry in shared memory: an append-only log of (id, ref as JSON), so any thread can load a function
// another thread forked, without messages. Each thread caches what it has loaded.
import { H, type Shared } from './layout.js';
import { toFunctionRef, loadFunction, type FunctionRef } from '../function-ref.js';

export class Registry {
  private ids = new WeakMap<Function, number>();
  private refs = new Map<number, FunctionRef>();
  private fns = new Map<number, Function>();
  // Entries by their JSON (source text or module + name): fresh closures of one function share one entry, across
  // threads, so forking a new closure in a loop adds nothing to the registry.
  private byJson = new Map<string, number>();
  private byRef = new WeakMap<FunctionRef, number>(); // toFunctionRef gives fresh closures one ref object: no JSON
  private cursor = 0;
  constructor(private readonly sh: Shared) {}

  /** The id of fn, registering it (as its ref) on first use. Throws ForkError if it cannot reach a worker. */
  idOf(fn: Function): number {
    let id = this.ids.get(fn);
    if (id !== undefined) return id;
    const ref = toFunctionRef(fn);
    id = this.byRef.get(ref);
    if (id === undefined) {
      const json = JSON.stringify(ref);
      id = this.byJson.get(json);
      if (id === undefined) {
        this.readNew(); // registered by another thread meanwhile?
        id = this.byJson.get(json) ?? this.append(json, ref);
      }
      this.byRef.set(ref, id);
    }
    this.ids.set(fn, id);
    if (!this.fns.has(id)) this.fns.set(id, fn);
    return id;
  }

  private append(json: string, ref: FunctionRef): number {
    const { i32, dv, layout } = this.sh;
    const bytes = 8 + 2 * json.length;
    const need = (bytes + 3) & ~3;
    const at = Atomics.add(i32, H.FN_HEAD, need);
    if (at + need > layout.fnBytes) {
      Atomics.sub(i32, H.FN_HEAD, need);
      throw new Error(`tsfork: too many distinct forked functions (registry of ${layout.fnBytes} bytes is full; functions with the same source share one entry)`);
    }
    const id = Atomics.add(i32, H.FN_NEXT_ID, 1) + 1;
    const base = layout.fnBase + at;
    dv.setInt32(base + 4, id, true);
    for (let k = 0; k < json.length; k++) dv.setUint16(base + 8 + 2 * k, json.charCodeAt(k), true);
    Atomics.store(i32, base >> 2, need); // published: readers see a complete entry
    this.refs.set(id, ref);
    this.byJson.set(json, id);
    return id;
  }

  refOf(id: number): FunctionRef {
    let ref = this.refs.get(id);
    while (ref === undefined) {
      this.readOne();
      ref = this.refs.get(id);
    }
    return ref;
  }

  /** Reads the entries other threads published since this thread last looked. */
  private readNew(): void {
    const head = Atomics.load(this.sh.i32, H.FN_HEAD);
    while (this.cursor < head && this.readOne());
  }

  /** Reads the entry at the cursor; false if it is still being written by another thread. */
  private readOne(): boolean {
    const { i32, dv, layout } = this.sh;
    const base = layout.fnBase + this.cursor;
    const len = Atomics.load(i32, base >> 2);
    if (len === 0) return false; // being written by another thread right now
    const entryId = dv.getInt32(base + 4, true);
    let json = '';
    // The entry's JSON fills the entry up to its padding; trailing zero chars are padding.
    for (let p = base + 8; p + 1 < base + len; p += 2) json += String.fromCharCode(dv.getUint16(p, true));
    json = json.replace(/\0+$/, '');
    this.cursor += len;
    if (!this.refs.has(entryId)) this.refs.set(entryId, JSON.parse(json) as FunctionRef);
    if (!this.byJson.has(json)) this.byJson.set(json, entryId);
    return true;
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
