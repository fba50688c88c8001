// Class instances in a task's result keep their class. Structured clone keeps an object's data but not its
// prototype, so a `Point` returned by a worker would come back as a plain object without Point's methods. When the
// task's function comes from a module that exports classes (a worker module the transform made exports those its
// functions share with your module), the worker records where in the result such instances are and under which
// export name; the receiving thread puts its own class's prototype back (the class registered by hoist(), or the
// module's export). Results of functions sent as source, or from modules without classes, are not walked.
import { hoistedRefOf, loadClass } from '../errors.js';

/** Key of the wrapper a tagged result travels in (NUL first: no program's own key looks like it). */
const TAG = '\u0000tsfork.classes';
/** A result bigger than this many objects is sent as it is (walking it would cost more than the task). */
const MAX_NODES = 100_000;

type Path = (string | number)[];
interface Tagged { [TAG]: 1; value: unknown; module: string; tags: [Path, string][] }

const protosOf = new Map<string, Map<object, string> | null>();

function isClass(v: unknown): v is Function {
  return typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));
}

/** prototype -> export name, for the classes a module exports (null when it exports none). Cached per module. */
export function exportedClasses(module: string, exports: Record<string, unknown> | undefined): Map<object, string> | null {
  let found = protosOf.get(module);
  if (found !== undefined) return found;
  found = null;
  for (const [name, v] of Object.entries(exports ?? {})) {
    if (!isClass(v)) continue;
    found ??= new Map();
    // the export under the class's own name wins: that is the name hoist() registers it under
    if (!found.has(v.prototype) || name === v.name) found.set(v.prototype, name);
  }
  protosOf.set(module, found);
  return found;
}

/** The export name of o's class: the module's own class, or this thread's registered copy of it (a task that ran
 * on the thread that hoisted the class: the main thread helping a join). */
function classNameOf(o: object, module: string, protos: Map<object, string>): string | undefined {
  const proto = Object.getPrototypeOf(o) as { constructor?: unknown } | null;
  if (proto === null || proto === Object.prototype || proto === Array.prototype) return undefined;
  const name = protos.get(proto);
  if (name !== undefined) return name;
  return typeof proto.constructor === 'function' ? hoistedRefOf(proto.constructor, module)?.name : undefined;
}

/** The value to send: `value` itself, or a wrapper naming where the instances of exported classes are. */
export function tagInstances(value: unknown, module: string, protos: Map<object, string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const tags: [Path, string][] = [];
  const seen = new Set<object>();
  const stack: [object, Path][] = [[value, []]];
  while (stack.length > 0 && seen.size < MAX_NODES) {
    const [o, path] = stack.pop()!;
    if (seen.has(o)) continue;
    const proto = Object.getPrototypeOf(o);
    const name = classNameOf(o, module, protos);
    if (name === undefined && !Array.isArray(o) && proto !== Object.prototype && proto !== null) continue; // Map, Date...
    seen.add(o);
    if (name !== undefined) tags.push([path, name]);
    const keys: (string | number)[] = Array.isArray(o) ? [...o.keys()] : Object.keys(o);
    for (const k of keys) {
      const child = (o as Record<string | number, unknown>)[k];
      if (child !== null && typeof child === 'object') stack.push([child, [...path, k]]);
    }
  }
  if (tags.length === 0) return value;
  const tagged: Tagged = { [TAG]: 1, value, module, tags };
  return tagged;
}

/** The received value with its class instances' prototypes restored (or the value itself, untagged). */
export function restoreInstances(received: unknown): unknown {
  if (received === null || typeof received !== 'object' || (received as Partial<Tagged>)[TAG] !== 1) return received;
  const { value, module, tags } = received as Tagged;
  for (const [path, name] of tags) {
    const Class = loadClass({ module, name });
    if (!Class) continue;
    let o: unknown = value;
    for (const k of path) o = (o as Record<string | number, unknown>)[k];
    if (o !== null && typeof o === 'object') Object.setPrototypeOf(o, Class.prototype);
  }
  return value;
}
