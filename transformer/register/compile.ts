// One project module through the core and type stripping: the JavaScript Node runs, plus its worker modules.
import { pathToFileURL } from 'node:url';
import { compiler } from './compiler.js';
import { readCompiled, writeCompiled, type CompiledModule } from './compile-cache.js';
import { formatDiagnostic, TransformError } from './diagnostics.js';
import { markedImportsFor } from './marked-imports.js';
import { isTypeScriptFile, type ModuleFormat } from './source-files.js';

export type { CompiledModule };

export interface CompileOptions {
  /** Where the worker module generated from `workerFileName` is loaded from at run time. */
  workerUrl: (workerFileName: string) => string;
}


// The hooks compile a module for the main thread and again for the cache when a worker module imports it;
// both ask with the same options, so the second is a lookup.
const compiled = new Map<string, { source: string; format: ModuleFormat; result: CompiledModule }>();

export function compileModule(fileName: string, source: string, format: ModuleFormat, options: CompileOptions): CompiledModule {
  const hit = compiled.get(fileName);
  if (hit && hit.source === source && hit.format === format) return hit.result;
  let result = readCompiled(fileName, format, source);
  if (result === undefined) {
    const consulted: string[] = [];
    result = compileUncached(fileName, source, format, options, consulted);
    writeCompiled(fileName, format, source, result, consulted);
  }
  compiled.set(fileName, { source, format, result });
  return result;
}

function compileUncached(
  fileName: string,
  source: string,
  format: ModuleFormat,
  options: CompileOptions,
  consulted: string[],
): CompiledModule {
  const { core, strip } = compiler();
  const result = core.transformModule(source, {
    fileName,
    moduleFormat: format,
    markedImports: markedImportsFor(fileName, consulted),
    workerUrl: options.workerUrl,
    // Worker modules import other modules' marked functions from those modules' worker modules (cached too).
    workerImportsFromWorkers: true,
    // Nothing parses the module before the core: its syntax errors are reported here, at the .ts line.
    syntaxErrors: true,
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new TransformError(fileName, source, errors);
  // Absolute URL: the same text is also served from the cache directory, far from the .ts file.
  const sourceUrl = pathToFileURL(fileName).href;
  const warnings = result.diagnostics.filter((d) => d.severity !== 'error').map((d) => formatDiagnostic(fileName, d));
  const { stripTypes } = strip;
  return {
    code: stripTypes(result.code, result.map, { fileName, format, source: sourceUrl }),
    workers: result.workers.map((w) => ({
      fileName: w.fileName,
      code: stripTypes(w.code, w.map, { fileName: w.fileName, format, source: sourceUrl }),
    })),
    warnings,
    changed: isTypeScriptFile(fileName) || result.code !== source || result.workers.length > 0,
  };
}
