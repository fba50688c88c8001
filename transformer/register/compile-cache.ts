// Compiled modules on disk, so a second run of an unchanged program starts without loading TypeScript.
// An entry is valid while the source, the tsfork build and every file consulted for cross-file markers are.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDirFor, writeCached } from './cache-dir.js';
import type { ModuleFormat } from './source-files.js';

export interface CompiledModule {
  /** JavaScript with an inline source map to the original file. */
  code: string;
  /** Worker modules as JavaScript, keyed by the path the core gave them (next to the source). */
  workers: { fileName: string; code: string }[];
  /** Formatted warnings (errors throw a TransformError instead). */
  warnings: string[];
  /** False for plain JavaScript the core left as it was: Node may load the file itself. */
  changed: boolean;
}

interface Entry {
  result: CompiledModule;
  /** files whose markers the transform consulted, with the hash of their text at the time */
  consulted: { path: string; hash: string }[];
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

let buildFingerprint: string | undefined;
/** Changes whenever the transform code changes (a rebuilt or upgraded tsfork). */
function fingerprint(): string {
  if (buildFingerprint === undefined) {
    const here = dirname(fileURLToPath(import.meta.url));
    const parts: string[] = [];
    for (const dir of [here, join(here, '../core')]) {
      for (const name of readdirSync(dir).sort()) {
        const s = statSync(join(dir, name));
        parts.push(`${name}:${s.size}:${s.mtimeMs}`);
      }
    }
    buildFingerprint = hash(parts.join('\n'));
  }
  return buildFingerprint;
}

function entryPath(fileName: string, format: ModuleFormat, source: string): string {
  const key = hash([fingerprint(), fileName, format, source].join('\0'));
  return join(cacheDirFor(fileName), 'compiled', `${key}.json`);
}

export function fileHash(path: string): string {
  try {
    return hash(readFileSync(path, 'utf8'));
  } catch {
    return 'missing';
  }
}

export function readCompiled(fileName: string, format: ModuleFormat, source: string): CompiledModule | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryPath(fileName, format, source), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  return entry.consulted.every((c) => fileHash(c.path) === c.hash) ? entry.result : undefined;
}

export function writeCompiled(fileName: string, format: ModuleFormat, source: string, result: CompiledModule, consulted: string[]): void {
  const entry: Entry = { result, consulted: consulted.map((path) => ({ path, hash: fileHash(path) })) };
  writeCached(entryPath(fileName, format, source), JSON.stringify(entry));
}
