// Source maps of emitted files point at the user's .ts: TypeScript maps the output to the rewritten text (or to the
// generated worker module), and the core maps that back to the original file; chaining the two gives file:line:col
// of the code the user wrote.
import remapping from '@jridgewell/remapping';
import type { SourceMap } from '../core/index.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** Rewrites the .map text tsc wrote at mapFile so it points through `coreMaps` (by generated file name) at the .ts. */
export function chainMap(mapText: string, mapFile: string, coreMaps: Map<string, SourceMap>): string {
  const parsed = JSON.parse(mapText) as { sources: string[]; sourceRoot?: string };
  const dir = dirname(mapFile);
  const abs = (s: string) => resolve(dir, parsed.sourceRoot ?? '', s);
  if (!parsed.sources.some((s) => coreMaps.has(normalize(abs(s))))) return mapText;
  const chained = remapping(mapText, (file, ctx) => {
    if (ctx.depth > 1) return null; // the core's map ends at the user's file
    const core = coreMaps.get(normalize(abs(file)));
    if (!core) return null;
    return { ...core, sources: core.sources.map((s) => (s && isAbsolute(s) ? s : s ?? '')) } as never;
  });
  const out = JSON.parse(chained.toString()) as { sources: string[]; sourceRoot?: string; sourcesContent?: unknown };
  out.sources = out.sources.map((s) => (isAbsolute(s) ? relative(dir, s).replace(/\\/g, '/') : s));
  delete out.sourceRoot;
  return JSON.stringify(out);
}

export function normalize(p: string): string {
  return resolve(p).replace(/\\/g, '/');
}
