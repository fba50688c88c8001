// Node module customization hooks (module.register), run on Node's hooks thread: resolve the specifiers
// TypeScript users write, compile project modules with the core, and leave CommonJS to require-hook.ts.
import { readFileSync } from 'node:fs';
import { compileModule } from './compile.js';
import { CompilerNotLoaded, loadCompiler, loadCompilerByImportOnly } from './compiler.js';
import { cacheWorkerModules, workerUrl } from './worker-modules.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isProjectSource, moduleFormatOf, resolveSourceSpecifier } from './source-files.js';

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;
interface LoadContext {
  format?: string | null;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<{ format: string; source?: unknown }>;

const warned = new Set<string>();
// The compile cache spares most runs loading TypeScript; when it is needed, it comes in through import().
loadCompilerByImportOnly();

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const parentURL = context.parentURL;
  const fromProject = parentURL === undefined || (parentURL.startsWith('file:') && isProjectSource(fileURLToPath(parentURL)));
  if (fromProject && !specifier.startsWith('node:')) {
    const parentPath = parentURL ? fileURLToPath(parentURL) : `${process.cwd()}/[entry]`;
    const asPath = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    const found = resolveSourceSpecifier(asPath, parentPath);
    if (found !== undefined) return { url: pathToFileURL(found).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  if (!isProjectSource(path)) return nextLoad(url, context);
  const format = moduleFormatOf(path);
  // CommonJS goes through Node's own loader, where require-hook.ts compiles it (nested require() included).
  if (format === 'cjs') return { format: 'commonjs', shortCircuit: true };
  const source = readFileSync(path, 'utf8');
  const work = () => {
    const compiled = compileModule(path, source, format, { workerUrl: (fileName) => workerUrl(fileName, format) });
    if (compiled.changed) cacheWorkerModules(compiled, path, format);
    return compiled;
  };
  let compiled;
  try {
    compiled = work();
  } catch (error) {
    if (!(error instanceof CompilerNotLoaded)) throw error;
    await loadCompiler();
    compiled = work();
  }
  // One write: this thread's stderr reaches the process asynchronously, and of several writes a short program
  // that exits at once printed only the first.
  const fresh = compiled.warnings.filter((w) => !warned.has(w));
  for (const w of fresh) warned.add(w);
  if (fresh.length > 0) process.stderr.write(fresh.map((w) => `${w}\n`).join(''));
  if (!compiled.changed) return nextLoad(url, context);
  return { format: 'module', source: compiled.code, shortCircuit: true };
}
