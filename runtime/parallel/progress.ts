// Progress of a call: the onProgress callback, and a bar on stderr when asked for and stderr is a TTY.
import type { ParallelOptions } from './options.js';

export type ProgressReport = (done: number, total: number) => void;

function bar(where: string): ProgressReport {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 100) return; // redraw at most 10 times a second
    last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    process.stderr.write(`\r${where} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}

export function progressReport(where: string, options: ParallelOptions): ProgressReport | undefined {
  const reports: ProgressReport[] = [];
  if (options.onProgress) reports.push(options.onProgress);
  if (options.progress && process.stderr.isTTY) reports.push(bar(where));
  if (reports.length === 0) return undefined;
  return (done, total) => { for (const r of reports) r(done, total); };
}
