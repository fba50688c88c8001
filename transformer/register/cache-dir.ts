// Where tsfork/register writes worker modules. Worker threads load them with require() (no module hooks
// there on Node 20), so they and the project modules they import must be plain JavaScript files on disk.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
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
 * node_modules/.cache/tsfork of the package the source belongs to: inside its node_modules, so the bare imports
 * of cached modules (tsfork, lodash...) resolve as they do from the source. With TSFORK_CACHE_DIR (or outside
 * any package) a folder per package there, whose node_modules links to the packages the source sees.
 */
export function cacheDirFor(sourcePath: string): string {
  const root = packageRoot(dirname(sourcePath)) ?? dirname(sourcePath);
  let dir = cacheDirs.get(root);
  if (dir === undefined) {
    const elsewhere = process.env.TSFORK_CACHE_DIR || (existsSync(join(root, 'package.json')) ? undefined : join(tmpdir(), 'tsfork-cache'));
    if (elsewhere === undefined) {
      dir = join(root, 'node_modules', '.cache', 'tsfork');
    } else {
      dir = join(elsewhere, createHash('sha256').update(root).digest('hex').slice(0, 12));
      linkPackages(dir, root);
    }
    cacheDirs.set(root, dir);
    linkSelfReference(dir, root);
  }
  return dir;
}

/** <dir>/node_modules/<name> -> each package in the nearest node_modules above `root` (those a source sees). */
function linkPackages(dir: string, root: string): void {
  for (let d = root; ; d = dirname(d)) {
    const packages = join(d, 'node_modules');
    if (existsSync(packages)) {
      for (const name of readdirSync(packages)) {
        if (name.startsWith('.')) continue;
        link(join(packages, name), join(dir, 'node_modules', name));
      }
      return;
    }
    if (dirname(d) === d) return;
  }
}

function link(target: string, path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  try {
    symlinkSync(target, path, 'junction');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
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
  link(root, join(cacheDir, 'node_modules', name));
}
