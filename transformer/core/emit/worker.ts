// Renders the worker module: the same file with everything the marked functions do not need blanked out, each
// marked function exported under its worker name (lifted nested ones with their captures as leading parameters),
// its forked calls rewritten as in the rewritten module (nested forks).
import ts from 'typescript';
import { Edits } from '../edits.js';
import { poolOf } from '../markers.js';
import type { ModulePlan, PlannedFunction } from '../plan/types.js';
import type { TransformOptions } from '../types.js';
import { emitCalls } from './calls.js';
import { headPosition, type ModuleFormat } from './format.js';

export function emitWorker(plan: ModulePlan, source: string, format: ModuleFormat, options: TransformOptions): Edits {
  const { sf, typed, names } = plan;
  const { keep, containers } = plan.worker;
  const rt = names.rt;
  const w = new Edits();
  emitCalls({ edits: w, rt, typed }, plan.workerCalls);
  const lifted = new Set(plan.functions.filter((f) => !f.notLifted).map((f) => f.site));
  for (const st of sf.statements) {
    if (keep.has(st)) continue;
    const nested = (containers.get(st) ?? []).filter((n) => lifted.has(n))
      .map((n) => n.statement).sort((a, b) => a.getStart(sf) - b.getStart(sf));
    let pos = st.getStart(sf);
    for (const n of nested) {
      if (n.getStart(sf) < pos) continue; // inside another kept nested function
      w.blank(source, pos, n.getStart(sf));
      pos = n.end;
    }
    w.blank(source, pos, st.end);
  }
  const str = JSON.stringify;
  const header: string[] = [format.importRuntime, `const ${names.workerUrl} = ${format.ownUrl};`];
  for (const f of plan.functions) {
    const { site } = f;
    if (f.notLifted) continue;
    const pool = str(poolOf(site.kind));
    const owner = { pos: site.statement.getStart(sf), end: site.statement.end };
    if (site.method) {
      w.blank(source, site.method.decorator.getStart(sf), site.method.decorator.end);
      w.after(owner, ` export const ${f.workerName} = ${site.name}.bind(${site.method.className}); ${rt}.hoist(${site.name}, ${names.workerUrl}, ${str(f.workerName)}, ${pool});`);
      continue;
    }
    for (const id of f.workerRenames) w.replace(id.getStart(sf), id.end, f.workerName);
    if (!site.exported) w.before(owner, 'export ');
    const local = site.topLevel ? site.name : f.workerName;
    const hoist = `${rt}.hoist(${local}, ${names.workerUrl}, ${str(f.workerName)}, ${pool});`;
    if (site.topLevel && ts.isFunctionDeclaration(site.statement)) header.push(hoist);
    else w.after(owner, ' ' + hoist);
    if (f.captures.length > 0) addCaptureParams(w, f, typed, source, sf);
  }
  for (const cls of plan.worker.classes) {
    if (!(ts.getModifiers(cls) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) w.before({ pos: cls.getStart(sf), end: cls.end }, 'export ');
  }
  // Imported classes the worker code uses are exported too, so an instance of one in a result finds its class
  // (runtime/scheduler/classes.ts looks among the worker module's exports).
  const reexports = plan.worker.importedClasses.flatMap((i) => i.names);
  if (reexports.length > 0) w.after({ pos: sf.end, end: sf.end }, `\nexport { ${reexports.join(', ')} };\n`);
  if (options.workerImportsFromWorkers) rewriteWorkerImports(w, sf, keep, options);
  w.before({ pos: -1, end: -1 }, header.join(' ') + ' ', headPosition(sf));
  return w;
}

/** Captures become leading parameters, and its recursive calls pass them along. */
function addCaptureParams(w: Edits, f: PlannedFunction, typed: boolean, source: string, sf: ts.SourceFile): void {
  const params = f.captures.map((c) => (typed ? `${c}: any` : c)).join(', ');
  const fn = f.site.fn;
  const first = fn.parameters[0];
  let i = fn.parameters.pos - 1;
  while (i >= 0 && /\s/.test(source[i]!)) i--;
  if (source[i] === '(') {
    const pos = fn.parameters.pos;
    w.before({ pos, end: pos }, params + (fn.parameters.length > 0 ? ', ' : ''));
  } else if (first) {
    // `x => ...`: no parentheses to add to
    const o = { pos: first.getStart(sf), end: first.end };
    w.before(o, `(${params}, `);
    w.after(o, ')');
  }
  for (const call of f.selfCalls) {
    const pos = call.arguments.pos;
    w.before({ pos, end: pos }, f.captures.join(', ') + (call.arguments.length > 0 ? ', ' : ''));
  }
}

/** Kept imports whose every binding is a function marked in a project module: load them from its worker module. */
function rewriteWorkerImports(w: Edits, sf: ts.SourceFile, keep: Set<ts.Statement>, options: TransformOptions) {
  for (const st of sf.statements) {
    if (!keep.has(st) || !ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    const clause = st.importClause;
    if (!/^\.{1,2}\//.test(spec) || !clause || clause.isTypeOnly || clause.name) continue;
    const named = clause.namedBindings;
    if (!named || !ts.isNamedImports(named) || named.elements.length === 0) continue;
    const all = named.elements.every((e) => {
      if (e.isTypeOnly) return true;
      const imported = (e.propertyName ?? e.name).text;
      const m = options.markedImports?.(spec, imported);
      return typeof m === 'object' && m.workerExport === imported;
    });
    if (!all) continue;
    const m = /^(.*?)(\.[cm]?[jt]sx?)?$/.exec(spec)!;
    w.replace(st.moduleSpecifier.getStart(sf), st.moduleSpecifier.end, JSON.stringify(`${m[1]}.tsfork-worker${m[2] ?? ''}`));
  }
}
