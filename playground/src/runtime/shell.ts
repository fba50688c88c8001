// What both worker shells share: console capture, error text, and exposing the runtime to user modules.
import * as runtime from './index';
import { formatArgs } from './format';
import type { ConsoleLevel, WorkerMessage } from './messages';

export interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: Event & { reason?: unknown; error?: unknown; message?: string }) => void): void;
}

export const scope = globalThis as unknown as WorkerScope;

/** The module that user code imports as 'tsfork' (a blob made by the page) re-exports this object. */
export function exposeRuntime(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for('tsfork.playground.runtime')] = runtime;
}

export function captureConsole(): void {
  const levels: ConsoleLevel[] = ['log', 'info', 'warn', 'error', 'debug'];
  for (const level of levels) {
    console[level] = (...args: unknown[]) => {
      const text = formatArgs(args);
      // Vite's dev client announces itself in every worker; that is not the program's output.
      if (text.startsWith('[vite] ')) return;
      scope.postMessage({ type: 'console', level, text });
    };
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const stack = error.stack ?? '';
    const head = `${error.name}: ${error.message}`;
    // Chromium's stack starts with the message; keep frames, drop the worker shell's own frames.
    const frames = stack.split('\n').filter((line) => /^\s+at /.test(line) && !/\/assets\/|runtime\/|\/src\//.test(line));
    return [head, ...frames].join('\n');
  }
  return `Uncaught ${formatArgs([error])}`;
}
