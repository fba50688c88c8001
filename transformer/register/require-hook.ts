// CommonJS project modules (.cts, and .ts/.js in packages without "type": "module"), compiled when
// Node's CommonJS loader reaches them, nested require() calls included.
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { isProjectSource, moduleFormatOf, resolveSourceSpecifier } from './source-files.js';

// Loaded at the first CommonJS project module: ES module programs never pay for TypeScript on this thread.
const requireHere = createRequire(import.meta.url);
let compiler: (typeof import('./compile.js')) & (typeof import('./worker-modules.js')) | undefined;
function loadCompiler() {
  compiler ??= { ...(requireHere('./compile.js') as typeof import('./compile.js')), ...(requireHere('./worker-modules.js') as typeof import('./worker-modules.js')) };
  return compiler;
}

interface CompilableModule {
  _compile(code: string, filename: string): void;
}
type Loader = (module: CompilableModule, filename: string) => void;
type Resolve = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _extensions: Record<string, Loader>; _resolveFilename: Resolve };
const extensions = loader._extensions;

export function installRequireHook(): void {
  const javascript = extensions['.js']!;
  const compileCommonJs: Loader = (module, filename) => {
    if (!isProjectSource(filename) || moduleFormatOf(filename) !== 'cjs') return javascript(module, filename);
    const { compileModule, cacheWorkerModules, workerUrl } = loadCompiler();
    const compiled = compileModule(filename, readFileSync(filename, 'utf8'), 'cjs', {
      workerUrl: (fileName) => workerUrl(fileName, 'cjs'),
    });
    for (const warning of compiled.warnings) process.stderr.write(`${warning}\n`);
    cacheWorkerModules(compiled, filename, 'cjs');
    module._compile(compiled.code, filename);
  };
  for (const ext of ['.ts', '.tsx', '.cts', '.js', '.cjs']) extensions[ext] = compileCommonJs;
  // require('./lib.js') meaning lib.ts, as TypeScript's nodenext resolution writes it.
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, ...rest) {
    const from = parent?.filename;
    if (from && isProjectSource(from)) {
      const found = resolveSourceSpecifier(request, from);
      if (found !== undefined) return found;
    }
    return resolveFilename.call(this, request, parent, ...rest);
  };
}
