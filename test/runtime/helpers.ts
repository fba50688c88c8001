// Shared by the runtime tests: run a fixture in a child node process; wait until pool workers are up.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fork } from 'tsfork';

export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function runNode(file: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Awaits a fork per worker so the pool's threads have started (awaited forks never run on this thread). */
export async function warmUp(workers = 2): Promise<void> {
  await Promise.all(Array.from({ length: workers }, () => fork(function warm(ms: number) {
    const end = Date.now() + ms; while (Date.now() < end); return ms;
  }, 20)));
}
