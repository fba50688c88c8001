// Runs the user's program. It lives in a dedicated worker so that join can block (Atomics.wait), which the
// page's main thread is not allowed to do.
import { installHost } from './host';
import { now, type PageMessage, type RunMode } from './messages';
import { captureConsole, errorText, exposeRuntime, scope } from './shell';

let workerId = 'program';
let mode: RunMode = 'parallel';
let finished = false;

function fail(error: unknown): void {
  if (finished) return;
  finished = true;
  scope.postMessage({ type: 'exit', at: now(), ok: false, error: errorText(error) });
}

scope.addEventListener('unhandledrejection', (event) => fail(event.reason));
scope.addEventListener('error', (event) => fail(event.error ?? event.message));

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as PageMessage;
  if (message.type === 'init') {
    workerId = message.workerId;
    mode = message.mode;
    installHost({ workerId, mode, post: (m, transfer) => scope.postMessage(m, transfer ?? []) });
    exposeRuntime();
    captureConsole();
    scope.postMessage({ type: 'ready' });
  } else if (message.type === 'run') {
    scope.postMessage({ type: 'started', at: now() });
    import(/* @vite-ignore */ message.entry).then(
      () => {
        if (finished) return;
        finished = true;
        scope.postMessage({ type: 'exit', at: now(), ok: true });
      },
      fail,
    );
  }
};
