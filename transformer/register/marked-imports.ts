// Cross-file markers for front ends that see one file at a time (register, Babel): an imported function is
// forked when the module it comes from marks it. Reads the imported file from disk and asks the core's scanner.
import { readFileSync, statSync } from 'node:fs';
import { compiler } from './compiler.js';
import type { scanMarkers } from '../core/index.js';
import { isProjectSource, resolveSourceSpecifier } from './source-files.js';

type Marked = ReturnType<typeof scanMarkers>;
const scanned = new Map<string, { mtimeMs: number; marked: Marked }>();

function markersOf(path: string): Marked {
  const mtimeMs = statSync(path).mtimeMs;
  const hit = scanned.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.marked;
  const marked = compiler().core.scanMarkers(readFileSync(path, 'utf8'), path);
  scanned.set(path, { mtimeMs, marked });
  return marked;
}

/**
 * The `markedImports` option of transformModule for a module at `fileName`; the files it reads are added to
 * `consulted` (the result depends on them).
 */
export function markedImportsFor(fileName: string, consulted: string[] = []) {
  return (specifier: string, importedName: string) => {
    const target = resolveSourceSpecifier(specifier, fileName);
    if (target === undefined || !isProjectSource(target)) return undefined;
    if (!consulted.includes(target)) consulted.push(target);
    return markersOf(target).find((m) => m.exported && m.name === importedName);
  };
}
