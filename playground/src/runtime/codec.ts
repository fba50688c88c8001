// Results cross threads as JSON text (they go through shared memory, see reply.ts), so values that JSON loses
// are tagged: undefined, NaN/Infinity/-0, bigint, Date, Map, Set, typed arrays, RegExp, errors.
type Tagged = { $: string; [key: string]: unknown };

const TYPED: Record<string, new (values: ArrayLike<number> | ArrayLike<bigint>) => ArrayLike<unknown>> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as never;

const ERRORS: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

export class DataCloneError extends Error {
  override name = 'DataCloneError';
}

function toTagged(value: unknown, path: string, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'undefined': return { $: 'u' };
    case 'number':
      if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0)) return { $: 'n', v: String(Object.is(value, -0) ? '-0' : value) };
      return value;
    case 'bigint': return { $: 'b', v: value.toString() };
    case 'string': case 'boolean': return value;
    case 'function': case 'symbol':
      throw new DataCloneError(`a ${typeof value} cannot be sent between workers (at ${path})`);
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) throw new DataCloneError(`a value that contains itself cannot be sent between workers (at ${path})`);
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item, i) => toTagged(item, `${path}[${i}]`, seen));
    if (object instanceof Date) return { $: 'd', v: object.getTime() };
    if (object instanceof RegExp) return { $: 'r', v: object.source, f: object.flags };
    if (object instanceof Map) return { $: 'm', v: [...object].map(([k, v], i) => [toTagged(k, `${path}<key ${i}>`, seen), toTagged(v, `${path}<value ${i}>`, seen)]) };
    if (object instanceof Set) return { $: 's', v: [...object].map((item, i) => toTagged(item, `${path}<item ${i}>`, seen)) };
    if (object instanceof Error) return errorToTagged(object, seen);
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const name = object.constructor.name;
      if (name in TYPED) return { $: 't', c: name, v: Array.from(object as unknown as ArrayLike<number | bigint>, (x) => typeof x === 'bigint' ? x.toString() : x) };
    }
    const plain: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) plain[key] = toTagged(item, `${path}.${key}`, seen);
    return '$' in plain ? { $: 'o', v: plain } : plain;
  } finally {
    seen.delete(object);
  }
}

function errorToTagged(error: Error, seen: Set<object>): Tagged {
  const props: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(error)) {
    try { props[key] = toTagged(item, `error.${key}`, seen); } catch { /* a property that cannot travel is dropped */ }
  }
  return { $: 'e', name: error.name, message: error.message, stack: error.stack ?? '', props };
}

function fromTagged(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromTagged);
  const tagged = value as Tagged;
  switch (tagged.$) {
    case undefined: return plainFrom(tagged);
    case 'u': return undefined;
    case 'n': return tagged.v === '-0' ? -0 : Number(tagged.v);
    case 'b': return BigInt(tagged.v as string);
    case 'd': return new Date(tagged.v as number);
    case 'r': return new RegExp(tagged.v as string, tagged.f as string);
    case 'm': return new Map((tagged.v as [unknown, unknown][]).map(([k, v]) => [fromTagged(k), fromTagged(v)]));
    case 's': return new Set((tagged.v as unknown[]).map(fromTagged));
    case 't': {
      const Typed = TYPED[tagged.c as string]!;
      const big = tagged.c === 'BigInt64Array' || tagged.c === 'BigUint64Array';
      return new Typed((tagged.v as (number | string)[]).map((x) => big ? BigInt(x) : x) as never);
    }
    case 'e': return reviveError(tagged);
    case 'o': return plainFrom(tagged.v as object);
  }
  throw new TypeError(`tsfork playground: unknown tag ${String(tagged.$)} in a result`);
}

function plainFrom(object: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) plain[key] = fromTagged(item);
  return plain;
}

function reviveError(tagged: Tagged): Error {
  // Built-in classes come back as themselves, so `catch (e) { if (e instanceof RangeError) ... }` behaves as
  // in the sequential program; other classes come back as Error with their name.
  const Ctor = ERRORS[tagged.name as string] ?? Error;
  const error = new Ctor(tagged.message as string);
  if (error.name !== tagged.name) Object.defineProperty(error, 'name', { value: tagged.name, configurable: true, writable: true });
  Object.defineProperty(error, 'stack', { value: tagged.stack, configurable: true, writable: true });
  for (const [key, item] of Object.entries(tagged.props as Record<string, unknown>)) (error as unknown as Record<string, unknown>)[key] = fromTagged(item);
  return error;
}

export function encodeValue(value: unknown): string {
  return JSON.stringify(toTagged(value, 'result', new Set()));
}

export function decodeValue(text: string): unknown {
  return fromTagged(JSON.parse(text));
}

export function encodeError(error: unknown): string {
  if (error instanceof Error) return JSON.stringify(errorToTagged(error, new Set()));
  // `throw 42` travels as the thrown value itself.
  try { return JSON.stringify({ $: 'x', v: toTagged(error, 'thrown value', new Set()) }); } catch { return JSON.stringify({ $: 'x', v: String(error) }); }
}

export function decodeError(text: string): unknown {
  const tagged = JSON.parse(text) as Tagged;
  return tagged.$ === 'x' ? fromTagged(tagged.v) : fromTagged(tagged);
}
