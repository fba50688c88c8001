#!/usr/bin/env node
// The `tsfork` command: one subcommand per file; this file only dispatches and prints help.
interface Command { usage: string; main(argv: string[]): number | Promise<number> }

// Each command is imported only when used: `tsfork run` must not pay for loading TypeScript (build does).
const commands: Record<string, () => Promise<Command>> = {
  build: async () => { const m = await import('./build.js'); return { usage: m.buildUsage, main: m.build }; },
  run: async () => { const m = await import('./run.js'); return { usage: m.runUsage, main: m.run }; },
  fuzz: async () => { const m = await import('./fuzz/index.js'); return { usage: m.fuzzUsage, main: m.main }; },
};

async function help(): Promise<string> {
  const all = await Promise.all(Object.values(commands).map((load) => load()));
  return `tsfork: implicit parallelism for TypeScript.

Usage: tsfork <command> [options]

Commands:
${all.map((c) => '  ' + c.usage.replace(/\n/g, '\n  ')).join('\n\n')}

  tsfork --help          this text; tsfork <command> --help for one command`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`tsfork: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}. See tsfork --help.\n`);
    return 2;
  }
  return (await load()).main(rest);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`tsfork: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
