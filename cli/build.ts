// `tsfork build [-p tsconfig.json]`: tsc with the tsfork transform, no plugins entry or ts-patch needed.
import { resolve } from 'node:path';
import ts from 'typescript';
import { transformProgram } from '../transformer/typescript/program.js';

export const buildUsage = `tsfork build [-p <tsconfig.json | folder>] [--pretty | --no-pretty]
  Compiles the project like tsc, with marked functions forking (the same as tspc with
  "plugins": [{ "transform": "tsfork/transformer", "transformProgram": true }]).
  Exits 0 on success, 1 when the configuration is unusable, 2 when the program has errors.`;

function fail(message: string): number {
  process.stderr.write(`tsfork build: ${message}\n${buildUsage}\n`);
  return 1;
}

export function build(argv: string[]): number {
  let project = '.';
  let pretty = !!process.stdout.isTTY;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') { process.stdout.write(buildUsage + '\n'); return 0; }
    if (a === '-p' || a === '--project') {
      const v = argv[++i];
      if (v === undefined) return fail(`${a} needs a path to a tsconfig.json or a folder holding one`);
      project = v;
    } else if (a === '--pretty') pretty = true;
    else if (a === '--no-pretty') pretty = false;
    else return fail(`unknown argument '${a}'`);
  }
  let configPath = resolve(project);
  if (ts.sys.directoryExists(configPath)) configPath = resolve(configPath, 'tsconfig.json');
  if (!ts.sys.fileExists(configPath)) return fail(`no tsconfig.json at ${configPath}`);

  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => ts.sys.newLine,
  };
  const print = (diagnostics: readonly ts.Diagnostic[]) => {
    if (diagnostics.length === 0) return;
    const text = pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost) : ts.formatDiagnostics(diagnostics, formatHost);
    process.stdout.write(text);
  };

  let unrecoverable: ts.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { unrecoverable = d; },
  });
  if (!parsed || unrecoverable) { print(unrecoverable ? [unrecoverable] : []); return 1; }
  const host = ts.createCompilerHost(parsed.options);
  const original = ts.createProgram({
    rootNames: parsed.fileNames, options: parsed.options, host, projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const program = transformProgram(ts, original, host);
  const diagnostics = [...ts.getPreEmitDiagnostics(program)];
  const emitted = program.emit();
  diagnostics.push(...emitted.diagnostics);
  const all = ts.sortAndDeduplicateDiagnostics(diagnostics);
  print(all);
  const errors = all.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  if (errors > 0 && pretty) process.stdout.write(`\nFound ${errors} error${errors === 1 ? '' : 's'}.\n`);
  return errors > 0 ? 2 : 0;
}
