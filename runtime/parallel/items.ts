// One item's arguments, in JavaScript terms: a non-array item is the one argument, an array item is the
// argument list, arg(...) is exactly that list. Extras are merged into the trailing options object.
// The "wire" form sent to workers keeps a non-array item as itself (no allocation per item) and an
// argument list as an array: the worker calls fn(item) or fn(...list).
import { Arg } from './arg.js';
import { declaredParameters } from './parameters.js';
import { describe, isPlainObject } from './options.js';

/** The arguments a wire item stands for (for FailedTask.args). */
export function argsOf(wire: unknown): unknown[] {
  return Array.isArray(wire) ? wire : [wire];
}

/** Where an item sits, for error messages: `item 3` or `key "btc"`. */
export function placeOf(keys: readonly string[] | null, index: number): string {
  return keys === null ? `item ${index}` : `key ${JSON.stringify(keys[index])}`;
}

/** Turns one map item into its wire form, merging extras unless the item is arg(...). */
export function toWire(item: unknown, extras: Record<string, unknown> | undefined, fn: Function, where: string): unknown {
  if (item instanceof Arg) return item.args.slice();
  if (extras === undefined) return item;
  return mergeExtras(Array.isArray(item) ? item.slice() : [item], extras, fn, where);
}

/** Merges extras into the trailing options object of args (a fresh array it may change). */
export function mergeExtras(args: unknown[], extras: Record<string, unknown>, fn: Function, where: string): unknown[] {
  const name = fn.name || '(anonymous function)';
  const declared = declaredParameters(fn);
  if ('count' in declared && declared.count > 0) {
    const n = declared.count;
    if (args.length > n) {
      throw new TypeError(`${where}: ${args.length} arguments given but ${name} declares ${n} parameters, so it is unclear which one takes the named parameters (extras); pass them in the item itself or use arg(...)`);
    }
    if (args.length === n) {
      const last = args[n - 1];
      if (last === undefined) args[n - 1] = { ...extras };
      else if (isPlainObject(last)) args[n - 1] = { ...extras, ...last };
      else throw new TypeError(`${where}: the last parameter of ${name} (argument ${n}) receives the named parameters (extras) but the item gives it ${describe(last)}, not an options object`);
      return args;
    }
    while (args.length < n - 1) args.push(undefined);
    args.push({ ...extras });
    return args;
  }
  // The declared parameters are unknown: only an explicit trailing options object tells where extras go.
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last)) {
    args[args.length - 1] = { ...extras, ...last };
    return args;
  }
  const why = 'count' in declared ? 'declares no parameters' : declared.unknown;
  throw new TypeError(`${where}: cannot tell where the named parameters (extras) go: ${name} ${why}; end the item with an options object ({}) to receive them`);
}
