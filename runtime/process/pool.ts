// The process executor as the calling thread sees it. The one workerpool pool of child processes runs in a
// small bridge thread (bridge.ts), created on first use: its event loop receives the children's IPC replies
// even while this thread is blocked in mapSync, which waits on a shared counter and reads the replies with
// receiveMessageOnPort. Async calls await the same port. The bridge (and so the idle children) does not keep
// the program alive while nothing runs.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { WorkerDiedError, reviveError } from '../errors.js';
import { inheritedExecArgv } from './exec-argv.js';
import type { BridgeReply, BridgeRequest } from './messages.js';

interface Bridge {
  worker: Worker;
  port: MessagePort;
  /** [0]: bumped after each reply; [1]: 1 once the bridge thread exited. */
  signal: Int32Array;
  pending: Map<number, Pending>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  reply?: BridgeReply;
}

// The bridge thread's first code: a blocked caller cannot see the Worker's 'exit' or 'error' events, so the thread
// raises a shared flag when it ends, even when bridge.js itself fails to load. (Plain script: eval code may be
// taken as CommonJS or as a module depending on the inherited flags.)
const BOOTSTRAP = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const ended = () => { const s = workerData.signal; Atomics.store(s, 1, 1); Atomics.add(s, 0, 1); Atomics.notify(s, 0); };
process.on('exit', ended);
import(workerData.entry).catch((e) => { ended(); throw e; });
`;

let bridge: Bridge | undefined;
let nextId = 1;

export function processPoolSize(): number {
  return availableParallelism();
}

function keepAlive(b: Bridge): void {
  if (b.pending.size > 0) { b.worker.ref(); b.port.ref(); } else { b.worker.unref(); b.port.unref(); }
}

function deliver(b: Bridge, reply: BridgeReply): void {
  const entry = b.pending.get(reply.id);
  if (!entry) return;
  b.pending.delete(reply.id);
  entry.reply = reply;
  if (reply.ok) entry.resolve(reply.value);
  else entry.reject(reviveError(reply.error));
  keepAlive(b);
}

function failAll(b: Bridge, error: unknown): void {
  if (bridge === b) bridge = undefined;
  for (const [id, entry] of b.pending) {
    entry.reply = { id, ok: false, error: { isError: true, className: 'WorkerDiedError', name: 'WorkerDiedError', message: String((error as Error)?.message ?? error) } };
    entry.reject(error);
  }
  b.pending.clear();
  keepAlive(b);
}

function open(): Bridge {
  if (bridge) return bridge;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const entry = new URL('./bridge.js', import.meta.url).href;
  const worker = new Worker(BOOTSTRAP, {
    eval: true, execArgv: inheritedExecArgv(), workerData: { port: port2, signal, entry }, transferList: [port2],
  });
  const b: Bridge = { worker, port: port1, signal, pending: new Map() };
  port1.on('message', (reply: BridgeReply) => deliver(b, reply));
  worker.on('error', (e) => failAll(b, new WorkerDiedError(`the process executor's bridge thread failed: ${e.message}`, { cause: e })));
  worker.on('exit', (code) => failAll(b, new WorkerDiedError(`the process executor's bridge thread exited (code ${code})`)));
  bridge = b;
  keepAlive(b);
  return b;
}

function send(b: Bridge, request: BridgeRequest): void {
  b.port.postMessage(request);
}

/** Reads the replies already sent, without the event loop. */
function drain(b: Bridge): void {
  for (let m = receiveMessageOnPort(b.port); m; m = receiveMessageOnPort(b.port)) deliver(b, m.message as BridgeReply);
}

/** Blocks until `entry` has its reply; false if `deadline` (performance.now() ms) came first. */
function waitFor(b: Bridge, entry: Pending, deadline?: number): boolean {
  for (;;) {
    const seen = Atomics.load(b.signal, 0);
    drain(b);
    if (entry.reply) return true;
    if (Atomics.load(b.signal, 1) === 1) {
      failAll(b, new WorkerDiedError("the process executor's bridge thread exited"));
      return true;
    }
    const left = deadline === undefined ? Infinity : deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(b.signal, 0, seen, left);
  }
}

export interface ProcessTask {
  promise: Promise<any>;
  /** A queued task is dropped; a running one has its child killed (the task settles once the child exited). */
  cancel(): void;
  /** Blocks until the task is done and returns its value (or throws its error); undefined if `deadline` came first. */
  join(deadline?: number): unknown;
  /** Blocks until the task has settled, whatever the outcome (after cancel: its child has exited). */
  waitSettled(): void;
}

/** Runs `method` of the child script (worker.ts) in a child process. */
export function execInProcess(method: string, params: unknown[]): ProcessTask {
  const b = open();
  const id = nextId++;
  const entry: Pending = { resolve: () => {}, reject: () => {} };
  const promise = new Promise<any>((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
  promise.catch(() => {}); // the sync forms read the reply, not the promise
  b.pending.set(id, entry);
  keepAlive(b);
  send(b, { type: 'run', id, method, params });
  return {
    promise,
    cancel: () => { if (!entry.reply) send(b, { type: 'cancel', id }); },
    join: (deadline) => {
      if (!waitFor(b, entry, deadline)) return undefined;
      const reply = entry.reply!;
      if (reply.ok) return reply.value;
      throw reviveError(reply.error);
    },
    waitSettled: () => { waitFor(b, entry); },
  };
}

/** Ends every child process and the bridge thread (tests and shutdown hooks); the next call starts afresh. */
export async function terminateProcessPool(): Promise<void> {
  const b = bridge;
  if (!b) return;
  const id = nextId++;
  const done = new Promise<void>((resolve) => {
    b.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
  });
  keepAlive(b);
  send(b, { type: 'terminate', id });
  await done;
  bridge = undefined;
  await b.worker.terminate();
}
