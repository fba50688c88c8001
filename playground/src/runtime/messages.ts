// Messages between the page and its workers (program worker and task workers). Results never travel here:
// they go through each task's shared reply buffer (reply.ts).
import type { FunctionRef, MarkerKind } from './markers';

export type RunMode = 'parallel' | 'sequential';

export interface ForkTask {
  id: string;
  kind: Exclude<MarkerKind, 'unsafe'>;
  name: string;
  ref?: FunctionRef;
  /** Source text of a function without a worker module (explicit `fork(fn)` of a function with no free variables). */
  source?: string;
  /** Arguments made only of primitives travel in the message itself. */
  args?: unknown[];
  /**
   * Other arguments wait, still serialized, in this port's queue: the page only forwards the port, so big
   * arguments are copied once (program to task worker) instead of being decoded and re-encoded by the page.
   */
  argsPort?: MessagePort;
  reply: SharedArrayBuffer;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Worker to page. `at` is wall-clock milliseconds (performance.timeOrigin + performance.now()). */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fork'; task: ForkTask }
  | { type: 'blocked'; at: number; task: string }
  | { type: 'unblocked'; at: number }
  | { type: 'console'; level: ConsoleLevel; text: string }
  | { type: 'task-start'; id: string; at: number }
  | { type: 'task-end'; id: string; at: number; ok: boolean }
  | { type: 'started'; at: number }
  | { type: 'exit'; at: number; ok: boolean; error?: string };

/** Page to worker. */
export type PageMessage =
  | { type: 'init'; workerId: string; mode: RunMode }
  | { type: 'task'; task: ForkTask }
  | { type: 'run'; entry: string };

export function now(): number {
  return performance.timeOrigin + performance.now();
}
