// Runs a call blocking the calling thread (mapSync/parSync). Every chunk is submitted before the first
// join, so the whole pool stays busy while this thread blocks (and the join helps run queued work).
import type { Chunk, CallRun } from './call.js';
import type { Results } from './results.js';

export function runSync(run: CallRun): Results<any> {
  const { where } = run.plan;
  if (run.options.timeout !== undefined || run.options.signal !== undefined) {
    throw new TypeError(`${where}: timeout and signal need the event loop, which a blocked thread does not run; use the async form (${where.replace(/Sync$/, '')}) for them`);
  }
  if (run.executor.name !== 'thread') {
    throw new TypeError(`${where}: the process executor answers through the event loop, which a blocked thread does not run; use the async form (${where.replace(/Sync$/, '')})`);
  }
  const window: Chunk[] = [];
  const join = (chunk: Chunk) => {
    if (chunk.cancelled) { run.inflight.delete(chunk); return; }
    let result;
    try { result = chunk.task!.join!(); } catch (e) { run.chunkFailed(chunk, e); return; }
    run.complete(chunk, result);
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
