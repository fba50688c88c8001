// A pool worker: loads forked functions (from their worker modules, or from source) and runs tasks.
// Results go to the task's shared reply buffer so a blocked joiner sees them.
import { encodeError, encodeValue } from './codec';
import { installHost } from './host';
import { isLazy } from './lazy';
import { metaOf } from './markers';
import { now, type ForkTask, type PageMessage } from './messages';
import { FAILED, OK, writeReply } from './reply';
import { captureConsole, exposeRuntime, scope } from './shell';

const fromSource = new Map<string, Function>();

async function load(task: ForkTask): Promise<Function> {
  if (task.ref) {
    const module = (await import(/* @vite-ignore */ task.ref.module)) as Record<string, unknown>;
    const found = module[task.ref.name];
    if (typeof found !== 'function') {
      throw new TypeError(`tsfork playground: worker module for ${task.name}() has no function export '${task.ref.name}'`);
    }
    // A forking wrapper in the worker module would fork again: run what it wraps.
    return metaOf(found)?.target ?? found;
  }
  let fn = fromSource.get(task.source!);
  if (!fn) {
    fn = (0, eval)(`(${task.source})`) as Function;
    fromSource.set(task.source!, fn);
  }
  return fn;
}

function receiveArgs(port: MessagePort): Promise<unknown[]> {
  return new Promise((resolve) => {
    port.onmessage = (event: MessageEvent) => {
      port.close();
      resolve(event.data as unknown[]);
    };
  });
}

async function run(task: ForkTask): Promise<void> {
  scope.postMessage({ type: 'task-start', id: task.id, at: now() });
  let ok = true;
  try {
    const fn = await load(task);
    const args = task.argsPort ? await receiveArgs(task.argsPort) : task.args ?? [];
    let value: unknown = fn(...args);
    if (value instanceof Promise) value = await value;
    if (isLazy(value)) value = value.join();
    writeReply(task.reply, OK, encodeValue(value));
  } catch (error) {
    ok = false;
    writeReply(task.reply, FAILED, encodeError(error));
  }
  scope.postMessage({ type: 'task-end', id: task.id, at: now(), ok });
}

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as PageMessage;
  if (message.type === 'init') {
    installHost({ workerId: message.workerId, mode: message.mode, post: (m, transfer) => scope.postMessage(m, transfer ?? []) });
    exposeRuntime();
    captureConsole();
    scope.postMessage({ type: 'ready' });
  } else if (message.type === 'task') {
    void run(message.task);
  }
};
