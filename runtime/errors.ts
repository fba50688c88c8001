// Named error classes, and how errors cross between threads keeping their class, properties, cause and stack.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Bad input to fork: a function that cannot reach a worker, or an argument that cannot be cloned. */
export class ForkError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'ForkError'; }
}
/** join() called where the thread must not block (a browser main thread). */
export class JoinError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'JoinError'; }
}
/** The worker running a task exited (process.exit, out of memory, crash) before the task finished. */
export class WorkerDiedError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'WorkerDiedError'; }
}
/** The task was cancelled (Task.cancel or its AbortSignal) before it finished. */
export class TaskCancelledError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'TaskCancelledError'; }
}

const ownClasses: Record<string, Function> = {
  ForkError, JoinError, WorkerDiedError, TaskCancelledError,
};
const builtinClasses: Record<string, Function> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError,
};

/** A thrown value as plain, structured-cloneable data. */
export interface SerializedError {
  isError: boolean;
  value?: unknown;              // a thrown non-Error value, as cloneable data (see toCloneable)
  className?: string;           // constructor name
  classRef?: { module: string; name: string }; // where the receiver can load a user class from
  name?: string;
  message?: string;
  stack?: string;
  props?: Record<string, unknown>;
  cause?: SerializedError;
  errors?: SerializedError[];   // AggregateError
  encoded?: true;               // value or props hold stand-ins for what cannot be cloned (see toCloneable)
}

// A stand-in for a symbol or a function inside a thrown value: `{ [TAG]: 'symbol' | 'function', ... }`.
const TAG = '__tsforkUncloneable';
type StandIn = { [TAG]: 'symbol'; description: string | undefined; key: string | undefined }
  | { [TAG]: 'function'; name: string; source: string };

/**
 * `v` as structured-cloneable data, keeping what can be kept: a symbol or a function (alone, or in a field, an
 * array, a Map or a Set) becomes a stand-in that reviveValue turns back into a symbol (the same one if it was
 * registered with Symbol.for) or a function of the same name and source that throws when called. Anything else
 * that cannot be cloned becomes its String(). Sets `state.encoded` when a stand-in was made.
 */
function toCloneable(v: unknown, state: { encoded?: true }): unknown {
  if (typeof v === 'symbol' || typeof v === 'function' || (v !== null && typeof v === 'object')) {
    try { structuredClone(v); return v; } catch { return encode(v, state, new Map()); }
  }
  return v;
}

function encode(v: unknown, state: { encoded?: true }, seen: Map<object, unknown>): unknown {
  if (typeof v === 'symbol') {
    state.encoded = true;
    return { [TAG]: 'symbol', description: v.description, key: Symbol.keyFor(v) } satisfies StandIn;
  }
  if (typeof v === 'function') {
    state.encoded = true;
    let source: string;
    try { source = Function.prototype.toString.call(v); } catch { source = `function ${v.name}() { [unknown] }`; }
    return { [TAG]: 'function', name: v.name, source } satisfies StandIn;
  }
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (v instanceof Map) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, x] of v) out.set(encode(k, state, seen), encode(x, state, seen));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    seen.set(v, out);
    for (const x of v) out.add(encode(x, state, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v) || proto === Object.prototype || proto === null || !isBuiltinObject(v)) {
    // a record (a class instance crosses as its own fields, as structuredClone would send it)
    const out: Record<string, unknown> = Array.isArray(v) ? [] as unknown as Record<string, unknown> : {};
    seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = encode((v as Record<string, unknown>)[k], state, seen);
    return out;
  }
  try { structuredClone(v); return v; } catch { return String(v); }
}

/** Dates, typed arrays, errors, promises...: objects structuredClone either handles itself or refuses. */
function isBuiltinObject(v: object): boolean {
  return v instanceof Error || v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v) || v instanceof ArrayBuffer
    || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet;
}

/** Undoes toCloneable's stand-ins, in place (the data is the receiver's own copy). */
function reviveValue(v: unknown, seen = new Set<object>()): unknown {
  if (v === null || typeof v !== 'object' || seen.has(v)) return v;
  const tag = (v as Record<string, unknown>)[TAG];
  if (tag === 'symbol') {
    const s = v as Extract<StandIn, { [TAG]: 'symbol' }>;
    return s.key !== undefined ? Symbol.for(s.key) : Symbol(s.description);
  }
  if (tag === 'function') {
    const { name, source } = v as Extract<StandIn, { [TAG]: 'function' }>;
    const fn = { [name]() { throw new TypeError(`${name || 'this function'} was thrown in another thread or process; only its name and source came back, it cannot be called here`); } }[name]!;
    Object.defineProperty(fn, 'toString', { value: () => source, configurable: true, writable: true });
    return fn;
  }
  seen.add(v);
  if (v instanceof Map) {
    const entries = [...v].map(([k, x]) => [reviveValue(k, seen), reviveValue(x, seen)] as const);
    v.clear();
    for (const [k, x] of entries) v.set(k, x);
  } else if (v instanceof Set) {
    const items = [...v].map((x) => reviveValue(x, seen));
    v.clear();
    for (const x of items) v.add(x);
  } else {
    for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = reviveValue((v as Record<string, unknown>)[k], seen);
  }
  return v;
}

/**
 * Turns a thrown value into data. `moduleExports`, when given, is searched for the error's class so the
 * receiver can load it (a user class exported from the task's module).
 */
export function serializeError(err: unknown, moduleRef?: { module: string; exports: Record<string, unknown> }, depth = 0): SerializedError {
  if (!(err instanceof Error)) {
    if (err && typeof err === 'object' && 'stack' in err && 'message' in err) {
      // An Error from another realm (vm context): treat like an Error.
    } else {
      const out: SerializedError = { isError: false };
      out.value = toCloneable(err, out);
      return out;
    }
  }
  const e = err as Error & Record<string, unknown>;
  const out: SerializedError = {
    isError: true, className: e.constructor?.name, name: e.name, message: e.message, stack: e.stack,
  };
  if (moduleRef && !(out.className! in builtinClasses) && !(out.className! in ownClasses)) {
    // The export under the class's own name first: that is the name hoist() registers it under on the other side.
    const names = Object.keys(moduleRef.exports).filter((k) => moduleRef.exports[k] === e.constructor);
    const name = names.includes(e.constructor.name) ? e.constructor.name : names[0];
    if (name !== undefined) out.classRef = { module: moduleRef.module, name };
  }
  // Thrown by this thread's own copy of a registered class (a task run on the thread that hoisted it).
  if (!out.classRef && typeof e.constructor === 'function') {
    out.classRef = hoistedRefOf(e.constructor, moduleRef?.module) ?? hoistedRefOf(e.constructor);
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(e)) {
    if (key === 'cause' || key === 'errors' || key === 'stack' || key === 'message') continue;
    props[key] = toCloneable(e[key], out);
  }
  if (Object.keys(props).length) out.props = props;
  if ('cause' in e && depth < 8) out.cause = serializeError(e.cause, moduleRef, depth + 1);
  if (Array.isArray(e.errors) && depth < 8) out.errors = e.errors.map((x) => serializeError(x, moduleRef, depth + 1));
  return out;
}

// Frames inside tsfork's own runtime (the pool, the worker loop) say nothing about the user's program. Workers
// map stacks through source maps, so those frames name either dist/runtime/*.js or the runtime/*.ts sources.
const runtimeDirs = [
  new URL('.', import.meta.url).href,
  fileURLToPath(new URL('.', import.meta.url)),
  fileURLToPath(new URL('../../runtime/', import.meta.url)),
];
export function withoutRuntimeFrames(stack: string): string {
  // A function sent as source runs from an eval inside function-ref.js: keep its frame, without that detour.
  stack = stack.replace(/\(eval at .*?, <anonymous>:(\d+:\d+)\)/g, '(<forked function source>:$1)');
  // Node's own frames under a task (the worker's event loop, e.g. processTicksAndRejections on Node 24, and the
  // AsyncLocalStorage.run a worker calls the task in) are the worker's plumbing, not a step of the user's program.
  return stack.split('\n')
    .filter((line) => !/^\s+at /.test(line) || !(runtimeDirs.some((d) => line.includes(d)) || /[( ]node:(internal\/|async_hooks:)/.test(line)))
    .join('\n');
}

/**
 * A ForkError raised deep inside fork or submit, re-stacked at the user's call: its first frame is the line that
 * called `site` (frames inside tsfork, such as a fork wrapper, skipped). Anything else is returned unchanged.
 */
export function atCallSite(e: unknown, site: Function): unknown {
  if (e instanceof ForkError) {
    Error.captureStackTrace(e, site);
    e.stack = withoutRuntimeFrames(e.stack!);
  }
  return e;
}

/** Classes registered with hoist(Class, moduleUrl, name): this thread's own class for an export of a worker module. */
const hoistedClasses = new Map<string, Function>();
/** fn -> (worker module URL -> export name): a class imported by several modules is registered by each. */
const hoistedRefs = new WeakMap<Function, Map<string, string>>();

export function rememberHoisted(moduleUrl: string, exportName: string, fn: Function): void {
  hoistedClasses.set(`${moduleUrl}\0${exportName}`, fn);
  let byModule = hoistedRefs.get(fn);
  if (!byModule) hoistedRefs.set(fn, byModule = new Map());
  byModule.set(moduleUrl, exportName);
}

/** Where hoist() registered this class (or function): under `module` if given, else the first registration. */
export function hoistedRefOf(fn: Function, module?: string): { module: string; name: string } | undefined {
  const byModule = hoistedRefs.get(fn);
  if (!byModule) return undefined;
  if (module !== undefined) {
    const name = byModule.get(module);
    return name === undefined ? undefined : { module, name };
  }
  const [first] = byModule;
  return first && { module: first[0], name: first[1] };
}

export function loadClass(ref: { module: string; name: string }): Function | undefined {
  // The transform registers the classes a worker module shares with its module, so an error thrown in a worker
  // is an instance of *this* module's class (instanceof works), not of the worker module's copy.
  const own = hoistedClasses.get(`${ref.module}\0${ref.name}`);
  if (own) return own;
  try {
    const req = createRequire(import.meta.url);
    const mod = req(fileURLToPath(ref.module)) as Record<string, unknown>;
    const c = mod[ref.name];
    return typeof c === 'function' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns data from serializeError back into an Error of the same class where the class is known here (built-ins,
 * tsfork's own, or a loadable user class), else an Error whose name is the original one.
 * `callSite`, when given, is appended to the stack: the stack then reads worker frames, then the fork call.
 */
export function reviveError(data: SerializedError, callSite?: string): unknown {
  if (!data.isError) return data.encoded ? reviveValue(data.value) : data.value;
  const Class: Function = (data.className ? builtinClasses[data.className] ?? ownClasses[data.className] : undefined)
    ?? (data.classRef ? loadClass(data.classRef) : undefined) ?? Error;
  const err: Error & Record<string, unknown> = Object.create(Class.prototype);
  const define = (key: string, value: unknown) =>
    Object.defineProperty(err, key, { value, writable: true, configurable: true, enumerable: false });
  define('message', data.message ?? '');
  if (data.name !== undefined && data.name !== Class.prototype.name) define('name', data.name);
  let stack = withoutRuntimeFrames(data.stack ?? `${data.name}: ${data.message}`);
  if (callSite) stack += `\n    --- forked at ---\n${withoutRuntimeFrames(callSite)}`;
  define('stack', stack);
  if (data.props) for (const [k, v] of Object.entries(data.props)) err[k] = data.encoded ? reviveValue(v) : v;
  if (data.cause) define('cause', reviveError(data.cause));
  if (data.errors) define('errors', data.errors.map((x) => reviveError(x)));
  return err;
}
