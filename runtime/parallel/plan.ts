// Turns the arguments of map/par into a CallPlan, checking them: a clear error at the call for bad input.
import { ForkError } from '../errors.js';
import { toFunctionRef } from '../function-ref.js';
import { metaOf } from '../markers.js';
import { Arg } from './arg.js';
import type { CallPlan, Target } from './call.js';
import { readInputs, readParTasks } from './inputs.js';
import { mergeExtras, placeOf, toWire } from './items.js';
import { describe, type ParallelOptions } from './options.js';

/** The function a call sends (a decorated or fork wrapper stands for the function it wraps). */
function unwrapped(fn: Function): Function {
  return metaOf(fn)?.target ?? fn;
}

export function targetOf(where: string, fn: unknown, what = 'fn'): Target {
  if (typeof fn !== 'function') {
    throw new TypeError(`${where}: ${what} must be a function, got ${describe(fn)}`);
  }
  let ref;
  try {
    ref = toFunctionRef(fn);
  } catch (e) {
    if (e instanceof ForkError) throw new ForkError(e.message.replace(/^fork\(/, `${where}(`), { cause: e });
    throw e;
  }
  const kind = metaOf(fn)?.kind === 'io' ? 'io' : 'cpu';
  return { fn: unwrapped(fn), name: unwrapped(fn).name || '(anonymous)', ref, kind };
}

export function planMap(where: string, fn: unknown, inputs: unknown, options: ParallelOptions): CallPlan {
  const target = targetOf(where, fn);
  const { keys, items } = readInputs(where, inputs);
  const { extras } = options;
  let wire = items;
  if (extras !== undefined || items.some((x) => x instanceof Arg)) {
    wire = items.map((item, i) => toWire(item, extras, target.fn, `${where}: ${placeOf(keys, i)}`));
  }
  return { where, keys, wire, targets: [target], chunkable: true };
}

export function planPar(where: string, tasks: unknown, options: ParallelOptions): CallPlan {
  const { keys, entries } = readParTasks(where, tasks);
  const { extras } = options;
  const targets: Target[] = [];
  const byFn = new Map<Function, Target>();
  const wire = entries.map((entry, i) => {
    const place = keys === null ? `entry ${i}` : `entry ${JSON.stringify(keys[i])}`;
    let target = byFn.get(entry.fn);
    if (!target) byFn.set(entry.fn, (target = targetOf(`${where}: ${place}`, entry.fn, 'the function')));
    targets.push(target);
    // par entries are always argument lists (one entry's own array arguments stay single arguments)
    if (entry.exact || extras === undefined) return entry.args;
    return mergeExtras(entry.args, extras, target.fn, `${where}: ${place}`);
  });
  return { where, keys, wire, targets, chunkable: false };
}
