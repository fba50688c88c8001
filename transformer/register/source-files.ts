// Which files the register front end compiles, in which module format, and how the specifiers users write
// in TypeScript projects ('./a.js' for a.ts, './a', './dir') map to files on disk.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export type ModuleFormat = 'esm' | 'cjs';

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const JS_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs'];
/** What an emitted .js extension may stand for in the source tree (TypeScript's own mapping). */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const TRY_EXTENSIONS = [...TS_EXTENSIONS, ...JS_EXTENSIONS];

export function isTypeScriptFile(path: string): boolean {
  return TS_EXTENSIONS.includes(extname(path));
}

/**
 * Already compiled: register's cache outside node_modules (cache-dir.ts), and tsfork's own build (outside
 * node_modules when tsfork is linked or developed; the hooks' own imports must never come back to them).
 */
const cacheRoots = [
  process.env.TSFORK_CACHE_DIR,
  join(tmpdir(), 'tsfork-cache'),
  resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
].filter((d): d is string => !!d);

/** A project module: TypeScript or JavaScript outside node_modules (packages are already built) and the cache. */
export function isProjectSource(path: string): boolean {
  return (
    TRY_EXTENSIONS.includes(extname(path)) &&
    !path.split(sep).includes('node_modules') &&
    !cacheRoots.some((root) => path.startsWith(resolve(root) + sep))
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The file a relative or absolute specifier names, read the way TypeScript users write them.
 * Returns undefined for bare specifiers and for paths that match nothing (Node then reports its own error).
 */
export function resolveSourceSpecifier(specifier: string, parentPath: string): string | undefined {
  if (!/^\.{1,2}(\/|$)|^\//.test(specifier)) return undefined;
  const base = resolve(dirname(parentPath), specifier.split(/[?#]/)[0]!);
  if (isFile(base)) return base;
  const ext = extname(base);
  for (const sourceExt of SOURCE_FOR_OUTPUT[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + sourceExt;
    if (isFile(candidate)) return candidate;
  }
  for (const tryExt of TRY_EXTENSIONS) {
    if (isFile(base + tryExt)) return base + tryExt;
  }
  if (existsSync(base)) {
    for (const tryExt of TRY_EXTENSIONS) {
      const index = join(base, 'index' + tryExt);
      if (isFile(index)) return index;
    }
  }
  return undefined;
}

const packageTypes = new Map<string, string | undefined>();

/** The "type" of the nearest package.json, the way Node decides it (stopping at node_modules). */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type: string | undefined;
  const manifest = join(dir, 'package.json');
  if (isFile(manifest)) {
    try {
      type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type ?? 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else {
    const parent = dirname(dir);
    type = parent === dir || dir.endsWith(sep + 'node_modules') ? 'commonjs' : packageType(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

/** Node's rule: .mts/.mjs are ES modules, .cts/.cjs CommonJS, the rest follow package.json "type". */
export function moduleFormatOf(path: string): ModuleFormat {
  const ext = extname(path);
  if (ext === '.mts' || ext === '.mjs') return 'esm';
  if (ext === '.cts' || ext === '.cjs') return 'cjs';
  return packageType(dirname(path)) === 'module' ? 'esm' : 'cjs';
}
