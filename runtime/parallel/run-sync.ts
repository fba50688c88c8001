// Runs a call blocking the calling thread (mapSync/parSync). Every chunk is submitted before the first
// join, so the whole pool stays busy while this thread blocks (a thread join also helps run queued work).
// The process executor answers through its bridge thread, so it also honours `timeout` while blocked.
import type { Chunk, CallRun } from './call.js';
import type { Results } from './results.js';

export function runSync(run: CallRun): Results<any> {
  const { where } = run.plan;
  const asyncForm = where.replace(/Sync$/, '');
  if (run.options.signal !== undefined) {
    throw new TypeError(`${where}: signal needs the event loop, which a blocked thread does not run; use the async form (${asyncForm}) to cancel with a signal`);
  }
  if (run.options.timeout !== undefined && run.executor.name !== 'process') {
    throw new TypeError(`${where}: timeout on the thread executor needs the event loop, which a blocked thread does not run; use the async form (${asyncForm}) or the process executor`);
  }
  const deadline = run.options.timeout === undefined ? undefined : performance.now() + run.options.timeout;
  const window: Chunk[] = [];
  const join = (chunk: Chunk) => {
    if (!chunk.cancelled) {
      let result;
      try { result = chunk.task!.join!(deadline); } catch (e) { run.chunkFailed(chunk, e); return; }
      if (result !== undefined) { run.complete(chunk, result); return; }
      run.stop(run.timedOut()); // cancels this chunk and every other one in flight
    }
    // a stopped chunk is over once its worker is (process executor: the child has exited)
    chunk.task?.waitStopped?.();
    run.inflight.delete(chunk);
  };
  // With no fixed chunk size, one small chunk first measures the task time that sizes the others.
  if (run.plan.chunkable && run.options.chunkSize === undefined) {
    const probe = run.nextChunk();
    if (probe && run.dispatch(probe)) join(probe);
  }
  for (;;) {
    while (window.length < run.limit || run.options.maxWorkers === undefined) {
      const chunk = run.nextChunk();
      if (!chunk || !run.dispatch(chunk)) break;
      window.push(chunk);
    }
    const oldest = window.shift();
    if (!oldest) break;
    join(oldest);
  }
  return run.outcome();
}
