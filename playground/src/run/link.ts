// Turns the transform's TypeScript output into ES modules the browser can import: types stripped by
// TypeScript itself, 'tsfork' mapped to the browser runtime, worker modules and the program as blob URLs.
import remapping, { type SourceMapInput } from '@jridgewell/remapping';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import ts from 'typescript';

export interface Linked {
  entry: string;
  urls: string[];
  /** Rewrites blob: positions in a stack to positions in the .ts the user wrote. */
  mapStack: (text: string) => string;
}

export interface BrowserModule {
  code: string;
  /** From the JavaScript to the TypeScript it was compiled from. */
  map: SourceMapInput;
}

const RUNTIME_EXPORTS = ['META', 'cpuBound', 'ioBound', 'unsafe', 'hoist', 'fork', 'join', 'joinFirst', 'awaitFirst', 'joinLoop', 'joinLoopAsync', 'logPush', 'logStore', 'cpuBoundFork', 'ioBoundFork', 'Lazy', 'isLazy'];

/** 'tsfork' inside the workers: a module re-exporting the runtime the worker shell put on globalThis. */
function runtimeModule(names: readonly string[]): string {
  const lines = ['const runtime = globalThis[Symbol.for("tsfork.playground.runtime")];'];
  lines.push('if (!runtime) throw new Error("tsfork playground: the runtime is only available inside the playground workers");');
  for (const name of names) lines.push(`export const ${name} = runtime.${name};`);
  lines.push('export default runtime;');
  return lines.join('\n');
}

function blobUrl(code: string, urls: string[]): string {
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  urls.push(url);
  return url;
}

export class LinkError extends Error {
  override name = 'LinkError';
}

/** Strips types and rewrites import specifiers; unknown bare specifiers are an error naming the import. */
export function toBrowserModule(code: string, fileName: string, resolve: (specifier: string) => string | undefined): BrowserModule {
  const unresolved: string[] = [];
  const rewrite = (node: ts.Node, factory: ts.NodeFactory): ts.Node => {
    const literal = ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ? node.moduleSpecifier : undefined;
    if (literal && ts.isStringLiteral(literal)) {
      const target = resolve(literal.text);
      if (target === undefined) { unresolved.push(literal.text); return node; }
      if (ts.isImportDeclaration(node)) {
        return factory.updateImportDeclaration(node, node.modifiers, node.importClause, factory.createStringLiteral(target), node.attributes);
      }
      const exp = node as ts.ExportDeclaration;
      return factory.updateExportDeclaration(exp, exp.modifiers, exp.isTypeOnly, exp.exportClause, factory.createStringLiteral(target), exp.attributes);
    }
    return node;
  };
  const result = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      // Decorators on static methods (`@cpuBoundFork static f()`) are TS standard decorators.
      experimentalDecorators: false,
      useDefineForClassFields: true,
      sourceMap: true,
      inlineSourceMap: false,
    },
    transformers: {
      after: [(context) => (file) => ts.visitEachChild(file, (node) => rewrite(node, context.factory), context) as ts.SourceFile],
    },
  });
  const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const first = errors[0]!;
    const where = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
    const at = where ? `${fileName}:${where.line + 1}:${where.character + 1}` : fileName;
    throw new LinkError(`${at}: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`);
  }
  if (unresolved.length > 0) {
    throw new LinkError(`${fileName}: cannot import '${unresolved[0]}' in the playground (only 'tsfork' and the generated worker modules are available)`);
  }
  // The map travels separately (a blob cannot point to it); drop the comment that would make devtools look for it.
  return { code: result.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'), map: JSON.parse(result.sourceMapText ?? '{}') as SourceMapInput };
}

export interface ProgramModules {
  /** The program: the rewritten module for a parallel run, the original source for the sequential run. */
  main: { fileName: string; code: string; map?: SourceMapInput };
  /** Worker modules, each with the transform's map back to the original source. */
  workers: { fileName: string; code: string; map?: SourceMapInput }[];
  /** Placeholder text in the program that stands for a worker module's URL (see compile.ts). */
  workerUrlPlaceholder?: (fileName: string) => string;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function jsName(path: string): string {
  return path.replace(/\.(m|c)?tsx?$/, '.$1js');
}

interface Traced {
  fileName: string;
  trace: TraceMap | undefined;
}

function traceOf(compiled: SourceMapInput, transformed: SourceMapInput | undefined): TraceMap | undefined {
  try {
    // JavaScript -> transformed TypeScript -> the source the user wrote.
    const chained = transformed ? remapping([compiled, transformed], () => null) : remapping(compiled, () => null);
    return new TraceMap(chained as never);
  } catch {
    return undefined; // a map we cannot read only costs the nicer positions
  }
}

const BLOB_POSITION = /blob:[a-z-]+:\/\/[^/\s]+\/[0-9a-f-]{36}:(\d+):(\d+)/g;

function stackMapper(modules: Map<string, Traced>): (text: string) => string {
  return (text) => text.replace(BLOB_POSITION, (found, line: string, column: string) => {
    const module = modules.get(found.slice(0, found.length - line.length - column.length - 2));
    if (!module) return found;
    if (module.trace) {
      const at = originalPositionFor(module.trace, { line: Number(line), column: Number(column) - 1 });
      if (at.line !== null) return `${baseName(at.source ?? module.fileName)}:${at.line}:${at.column + 1}`;
    }
    return `${jsName(baseName(module.fileName))}:${line}:${column}`;
  });
}

/** Creates the blob URLs of one run. Call revoke(linked) when the run is over. */
export function link(program: ProgramModules): Linked {
  const urls: string[] = [];
  const traced = new Map<string, Traced>();
  const runtimeUrl = blobUrl(runtimeModule(RUNTIME_EXPORTS), urls);
  const byName = new Map<string, string>();
  const resolve = (specifier: string): string | undefined => {
    if (specifier === 'tsfork') return runtimeUrl;
    if (specifier.startsWith('./')) return byName.get(baseName(specifier)) ?? byName.get(baseName(jsName(specifier)));
    return undefined;
  };
  // Worker modules first: the program refers to their URLs.
  for (const worker of program.workers) {
    const module = toBrowserModule(worker.code, worker.fileName, resolve);
    const url = blobUrl(module.code, urls);
    traced.set(url, { fileName: worker.fileName, trace: traceOf(module.map, worker.map) });
    byName.set(baseName(worker.fileName), url);
    byName.set(baseName(jsName(worker.fileName)), url);
  }
  const main = toBrowserModule(program.main.code, program.main.fileName, resolve);
  let code = main.code;
  if (program.workerUrlPlaceholder) {
    // Only columns after a placeholder on its line shift (the transform puts them on line 1, before user code).
    for (const worker of program.workers) {
      code = code.split(program.workerUrlPlaceholder(worker.fileName)).join(byName.get(baseName(worker.fileName))!);
    }
  }
  const entry = blobUrl(code, urls);
  traced.set(entry, { fileName: program.main.fileName, trace: traceOf(main.map, program.main.map) });
  return { entry, urls, mapStack: stackMapper(traced) };
}

export function revoke(linked: Linked): void {
  for (const url of linked.urls) URL.revokeObjectURL(url);
}
