// Where tsfork/register writes worker modules. Worker threads load them with require() (no module hooks
// there on Node 20), so they and the project modules they import must be plain JavaScript files on disk.
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ModuleFormat } from './source-files.js';

function packageRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

const cacheDirs = new Map<string, string>();

/**
 * TSFORK_CACHE_DIR, else node_modules/.cache/tsfork of the package the source belongs to: inside its
 * node_modules, so the bare imports of cached modules (tsfork, lodash...) resolve as they do from the source.
 */
export function cacheDirFor(sourcePath: string): string {
  if (process.env.TSFORK_CACHE_DIR) return process.env.TSFORK_CACHE_DIR;
  const root = packageRoot(dirname(sourcePath));
  if (root === undefined) return join(tmpdir(), 'tsfork-cache');
  let dir = cacheDirs.get(root);
  if (dir === undefined) {
    dir = join(root, 'node_modules', '.cache', 'tsfork');
    cacheDirs.set(root, dir);
    linkSelfReference(dir, root);
  }
  return dir;
}

/** The cached JavaScript file for a source (or worker module) path: stable per path, explicit format. */
export function cachedPath(sourcePath: string, format: ModuleFormat): string {
  const hash = createHash('sha256').update(sourcePath).digest('hex').slice(0, 12);
  const name = basename(sourcePath, extname(sourcePath)).replace(/[^\w.-]/g, '_');
  return join(cacheDirFor(sourcePath), 'modules', `${hash}-${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
}

/** Writes only when the text differs, through a rename, so a thread loading the file never sees half of it. */
export function writeCached(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * A package importing itself by name (self-reference) cannot do so from inside node_modules: a link
 * <cache>/node_modules/<name> -> the package makes that name resolve from the cached modules too.
 */
function linkSelfReference(cacheDir: string, root: string): void {
  let name: string | undefined;
  try {
    name = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return;
  }
  if (!name) return;
  const link = join(cacheDir, 'node_modules', name);
  if (existsSync(link)) return;
  mkdirSync(dirname(link), { recursive: true });
  try {
    symlinkSync(root, link, 'junction');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
