#!/usr/bin/env node
// The `tsfork` command: one subcommand per file; this file only dispatches and prints help.
import { build, buildUsage } from './build.js';
import { run, runUsage } from './run.js';

interface Command { usage: string; main(argv: string[]): number | Promise<number> }

const commands: Record<string, Command> = {
  build: { usage: buildUsage, main: build },
  run: { usage: runUsage, main: run },
};

const help = `tsfork: implicit parallelism for TypeScript.

Usage: tsfork <command> [options]

Commands:
${Object.values(commands).map((c) => '  ' + c.usage.replace(/\n/g, '\n  ')).join('\n\n')}

  tsfork --help          this text; tsfork <command> --help for one command`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`tsfork: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}. See tsfork --help.\n`);
    return 2;
  }
  return command.main(rest);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`tsfork: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
