// The runtime's link to the page, installed by the worker shells (program-worker.ts, task-worker.ts).
// Kept on globalThis so every copy of the runtime in one worker (the bundled shell and the module that user
// code imports as 'tsfork') shares it.
import type { RunMode, WorkerMessage } from './messages';

export interface Host {
  workerId: string;
  mode: RunMode;
  post(message: WorkerMessage, transfer?: Transferable[]): void;
}

const SLOT = Symbol.for('tsfork.playground.host');

export function installHost(host: Host): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = host;
}

/** Undefined outside the playground's workers: fork then runs inline, as the sequential program would. */
export function currentHost(): Host | undefined {
  return (globalThis as Record<symbol, unknown>)[SLOT] as Host | undefined;
}
