// Runs a call without blocking: keeps `limit` chunks in flight, handles timeout and AbortSignal.
import type { CallRun } from './call.js';
import type { Results } from './results.js';

export function runAsync(run: CallRun, signals: AbortSignal[] = []): Promise<Results<any>> {
  return new Promise((resolve, reject) => {
    const { timeout, signal } = run.options;
    const all = signal ? [signal, ...signals] : signals;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let over = false;

    const onAbort = (e: Event) => { run.stop((e.target as AbortSignal).reason); pump(); };
    const finish = () => {
      over = true;
      if (timer) clearTimeout(timer);
      for (const s of all) s.removeEventListener('abort', onAbort);
      try { resolve(run.outcome()); } catch (e) { reject(e); }
    };
    const pump = () => {
      if (over) return;
      while (run.inflight.size < run.limit) {
        const chunk = run.nextChunk();
        if (!chunk) break;
        if (!run.dispatch(chunk)) break;
        chunk.task!.promise.then(
          (result) => { run.complete(chunk, result); pump(); },
          (error) => { run.chunkFailed(chunk, error); pump(); },
        );
      }
      if (run.inflight.size === 0 && !run.hasMore()) finish();
    };

    for (const s of all) {
      if (s.aborted) { run.stop(s.reason); finish(); return; }
      s.addEventListener('abort', onAbort, { once: true });
    }
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        run.stop(run.timedOut());
        pump();
      }, timeout);
    }
    pump();
  });
}
