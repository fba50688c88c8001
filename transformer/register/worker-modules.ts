// Worker modules as files in the cache directory, with every project module they import (transitively)
// cached beside them as JavaScript: a worker thread loads them with plain require(), no hooks needed.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Parser } from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import { cachedPath, writeCached } from './cache-dir.js';
import { compileModule, type CompiledModule } from './compile.js';
import { isProjectSource, moduleFormatOf, resolveSourceSpecifier, type ModuleFormat } from './source-files.js';

/** The URL hoist() records for a worker module: its cached JavaScript file. */
export function workerUrl(workerFileName: string, format: ModuleFormat): string {
  return pathToFileURL(cachedPath(workerFileName, format)).href;
}

const cached = new Set<string>();

/** Writes the compiled module's worker modules (and what they import from the project) to the cache. */
export function cacheWorkerModules(compiled: CompiledModule, sourcePath: string, format: ModuleFormat): void {
  for (const worker of compiled.workers) {
    writeCached(cachedPath(worker.fileName, format), pointAtCache(worker.code, sourcePath, format));
  }
}

/** A project module's cached copy, compiled the same way as when Node loads it on the main thread. */
function cacheProjectModule(path: string): string {
  const format = moduleFormatOf(path);
  const target = cachedPath(path, format);
  if (cached.has(path)) return target;
  cached.add(path);
  const compiled = compileModule(path, readFileSync(path, 'utf8'), format, {
    workerUrl: (fileName) => workerUrl(fileName, format),
  });
  cacheWorkerModules(compiled, path, format);
  writeCached(target, pointAtCache(compiled.code, path, format));
  return target;
}

/** Relative specifiers in `code` (which stands for `fromPath`) rewritten to absolute ones into the cache. */
function pointAtCache(code: string, fromPath: string, format: ModuleFormat): string {
  const ast = Parser.parse(code, {
    ecmaVersion: 'latest',
    sourceType: format === 'esm' ? 'module' : 'script',
    allowReturnOutsideFunction: true,
    allowHashBang: true,
  });
  const text = new MagicString(code);
  const rewrite = (node: { type: string; value?: unknown; start: number; end: number } | null | undefined) => {
    if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
    const target = resolveSourceSpecifier(node.value, fromPath);
    if (target === undefined) return;
    const path = isProjectSource(target) ? cacheProjectModule(target) : target;
    const specifier = format === 'esm' ? pathToFileURL(path).href : path;
    text.overwrite(node.start, node.end, JSON.stringify(specifier));
  };
  simple(ast, {
    ImportDeclaration: (n) => rewrite(n.source),
    ExportNamedDeclaration: (n) => rewrite(n.source),
    ExportAllDeclaration: (n) => rewrite(n.source),
    ImportExpression: (n) => rewrite(n.source as never),
    CallExpression: (n) => {
      if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) {
        rewrite(n.arguments[0] as never);
      }
    },
  });
  // Same line structure as before: the inline source map at the end stays valid for stack traces.
  return text.toString();
}
