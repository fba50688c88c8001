// Worker modules as files in the cache directory, with every project module they import (transitively)
// cached beside them as JavaScript: a worker thread loads them with plain require(), no hooks needed.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cachedPath, writeCached } from './cache-dir.js';
import { compileModule, type CompiledModule } from './compile.js';
import { rewriteSpecifiers, workerModuleOf } from './specifiers.js';
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
function cacheProjectModule(path: string): { file: string; compiled: CompiledModule } {
  const format = moduleFormatOf(path);
  const file = cachedPath(path, format);
  const compiled = compileModule(path, readFileSync(path, 'utf8'), format, {
    workerUrl: (fileName) => workerUrl(fileName, format),
  });
  if (!cached.has(path)) {
    cached.add(path);
    try {
      cacheWorkerModules(compiled, path, format);
      writeCached(file, pointAtCache(compiled.code, path, format));
    } catch (error) {
      cached.delete(path); // so a retry (after the hooks loaded the compiler) writes it
      throw error;
    }
  }
  return { file, compiled };
}

/** Relative specifiers in `code` (which stands for `fromPath`) rewritten to absolute ones into the cache. */
function pointAtCache(code: string, fromPath: string, format: ModuleFormat): string {
  return rewriteSpecifiers(code, format, (specifier) => {
    const asUrl = (path: string) => (format === 'esm' ? pathToFileURL(path).href : path);
    // A worker module importing another module's worker module (workerImportsFromWorkers).
    const ofModule = workerModuleOf(specifier);
    if (ofModule !== undefined) {
      const target = resolveSourceSpecifier(ofModule, fromPath);
      if (target === undefined || !isProjectSource(target)) return undefined;
      const worker = cacheProjectModule(target).compiled.workers[0];
      return worker ? asUrl(cachedPath(worker.fileName, moduleFormatOf(target))) : undefined;
    }
    const target = resolveSourceSpecifier(specifier, fromPath);
    if (target === undefined) return undefined;
    return asUrl(isProjectSource(target) ? cacheProjectModule(target).file : target);
  });
}
