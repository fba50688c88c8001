// Entry of the bridge thread: holds the process pool (children.ts) and answers over a MessagePort. After each
// reply it bumps a shared counter and notifies it, so a thread blocked in Atomics.wait (mapSync) wakes up and
// reads the reply with receiveMessageOnPort: workerpool's IPC replies need a running event loop, this one.
import { workerData, type MessagePort } from 'node:worker_threads';
import { serializeError } from '../errors.js';
import { execInChild, terminateChildren } from './children.js';
import type { BridgeReply, BridgeRequest } from './messages.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
const cancels = new Map<number, () => void>();

function reply(message: BridgeReply): void {
  const value = message.ok ? message.value : undefined;
  // a result viewing part of a bigger buffer is copied, so only its own bytes cross
  const bytes = value instanceof Uint8Array
    ? (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice())
    : undefined;
  if (bytes && message.ok) message.value = bytes;
  port.postMessage(message, bytes && !(bytes.buffer instanceof SharedArrayBuffer) ? [bytes.buffer as ArrayBuffer] : []);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (request: BridgeRequest) => {
  switch (request.type) {
    case 'run': {
      const { id } = request;
      const task = execInChild(request.method, request.params);
      cancels.set(id, task.cancel);
      task.promise.then(
        (value) => { cancels.delete(id); reply({ id, ok: true, value }); },
        (error) => { cancels.delete(id); reply({ id, ok: false, error: serializeError(error) }); },
      );
      break;
    }
    case 'cancel':
      cancels.get(request.id)?.();
      break;
    case 'terminate':
      terminateChildren().then(
        () => reply({ id: request.id, ok: true, value: undefined }),
        (error) => reply({ id: request.id, ok: false, error: serializeError(error) }),
      );
      break;
  }
});
