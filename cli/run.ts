// `tsfork run app.ts [args]`: Node with the tsfork/register hook, so a TypeScript or JavaScript program runs
// with the transform applied to each project module as it loads. Flags before the entry go to Node.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { resolveSourceSpecifier } from '../transformer/register/source-files.js';

export const runUsage = `tsfork run [node flags] <entry.ts|.js> [args...]
  Runs the program with the tsfork transform applied as each project module loads
  (the same as: node --import tsfork/register <entry> [args...]). Exits with the program's exit code.`;

/** Runs the program in a child Node process and resolves with its exit code (128 + n when killed by signal n). */
export function run(argv: string[]): Promise<number> {
  const nodeFlags: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) nodeFlags.push(argv[i++]!);
  const entry = argv[i];
  if (entry === undefined || nodeFlags.includes('--help') || nodeFlags.includes('-h')) {
    process.stderr.write(`${runUsage}\n`);
    return Promise.resolve(entry === undefined && !nodeFlags.includes('--help') && !nodeFlags.includes('-h') ? 2 : 0);
  }
  const entryPath = resolveSourceSpecifier(resolve(entry), resolve('[cwd]'));
  if (entryPath === undefined) {
    process.stderr.write(`tsfork run: cannot find the entry '${entry}' (tried it as written, with .ts/.js extensions and as a directory with an index file)\n`);
    return Promise.resolve(2);
  }
  const register = new URL('../transformer/register/index.js', import.meta.url).href;
  const child = spawn(process.execPath, [...nodeFlags, '--enable-source-maps', '--import', register, entryPath, ...argv.slice(i + 1)], {
    stdio: 'inherit',
  });
  // The terminal sends ^C to the whole group; a `kill <pid>` of this process is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const ignore = () => {};
  process.on('SIGTERM', forward);
  process.on('SIGINT', ignore);
  return new Promise((done) => {
    child.on('error', (error) => {
      process.stderr.write(`tsfork run: could not start node: ${error.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', ignore);
      done(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
