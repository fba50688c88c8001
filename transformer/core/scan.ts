// scanMarkers: which functions a module marks, by the names other modules import them under.
import { exportAliases, findMarkers } from './markers.js';
import { parse } from './parse.js';
import { topLevelWorkerName } from './plan/names.js';
import type ts from 'typescript';
import type { MarkedFunction } from './types.js';

/**
 * The marked functions of a module without transforming it (for cross-file knowledge: an importer forks calls to
 * these). Static methods appear as `Class.method`; a default-exported function also appears as `default`.
 */
export function scanMarkers(source: string, fileName: string, sourceFile?: unknown): MarkedFunction[] {
  // The TS front end passes the program's parsed file of `source` (parent pointers set), saving a parse.
  const sf = (sourceFile as ts.SourceFile | undefined) ?? parse(source, fileName);
  const { sites } = findMarkers(sf);
  const aliases = exportAliases(sf);
  const out: MarkedFunction[] = [];
  for (const s of sites) {
    if (!s.topLevel) continue;
    const workerExport = topLevelWorkerName(s);
    const base = { kind: s.kind, async: s.async, params: s.params, workerExport };
    const className = s.method?.className;
    const local = className ?? s.name;
    const exportedAs = (aliases.get(local) ?? []).map((a) => a.exported);
    const directlyExported = s.exported && !s.isDefault;
    const member = className ? s.name.slice(className.length) : '';
    out.push({ name: s.name, exported: directlyExported || exportedAs.includes(local), ...base });
    for (const e of exportedAs) if (e !== local) out.push({ name: e + member, exported: true, ...base });
    if (s.isDefault) out.push({ name: 'default' + member, exported: true, ...base });
  }
  return out;
}
