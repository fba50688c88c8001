// Renders the rewritten module: forks and joins at the call sites, hoist registrations next to each marked
// function (and the classes the worker module shares), fork wrappers for exported forking functions.
import ts from 'typescript';
import { Edits } from '../edits.js';
import { poolOf } from '../markers.js';
import type { ModulePlan } from '../plan/types.js';
import { emitCalls } from './calls.js';
import { headPosition, type ModuleFormat } from './format.js';

export function emitMain(plan: ModulePlan, source: string, format: ModuleFormat): Edits {
  const { sf, typed, names } = plan;
  const rt = names.rt;
  const e = new Edits();
  emitCalls({ edits: e, rt, typed }, plan.main);
  const str = JSON.stringify;
  const header: string[] = [format.importRuntime];
  if (plan.functions.length > 0) header.push(`const ${names.workerUrl} = ${format.mainWorkerUrl};`);
  for (const f of plan.functions) {
    const { site } = f;
    const pool = str(poolOf(site.kind));
    const hoistCall = (fn: string) => `${rt}.hoist(${fn}, ${names.workerUrl}, ${str(f.workerName)}, ${pool})`;
    const owner = { pos: site.statement.getStart(sf), end: site.statement.end };
    if (site.method) {
      e.after(owner, ` ${hoistCall(site.name)};`);
      continue;
    }
    if (!site.topLevel) {
      if (f.notLifted) continue;
      if (f.standIn) {
        // Called with the captures first: the stand-in forwards the rest, the worker gets them all.
        const cs = f.captures.map((_c, i) => `${rt}_c${i}${typed ? ': any' : ''}`);
        const fn = `(${cs.join(', ')}, ...${names.rest}${typed ? ': any[]' : ''}) => ${typed ? `(${site.name} as any)` : site.name}(...${names.rest})`;
        e.after(owner, ` const ${f.standIn} = ${hoistCall(fn)};`);
      } else e.after(owner, ` ${hoistCall(site.name)};`);
      continue;
    }
    const lines: string[] = [];
    if (f.wrapper) {
      const w = f.wrapper;
      const fnKind = site.kind === 'ioBoundFork' ? 'ioBoundFork' : 'cpuBoundFork';
      lines.push(`const ${w}${typed ? `: typeof ${site.name}` : ''} = ${rt}.${fnKind}(${hoistCall(site.name)})${typed ? ' as any' : ''};`);
      if (site.exported) {
        for (const mod of ts.getModifiers(site.statement as ts.FunctionDeclaration) ?? []) {
          if (mod.kind === ts.SyntaxKind.ExportKeyword || mod.kind === ts.SyntaxKind.DefaultKeyword) e.blank(source, mod.getStart(sf), mod.end);
        }
        lines.push(site.isDefault ? `export default ${w};` : `export { ${w} as ${site.name} };`);
      }
      for (const a of f.exportedVia) {
        const local = a.specifier.propertyName ?? a.specifier.name;
        e.replace(local.getStart(sf), local.end, a.specifier.propertyName ? w : `${w} as ${site.name}`);
      }
    } else lines.push(`${hoistCall(site.name)};`);
    if (ts.isFunctionDeclaration(site.statement)) header.push(...lines);
    else e.after(owner, ' ' + lines.join(' '));
  }
  // Classes the worker module shares (an error class thrown in a worker): registered, so what comes back is an
  // instance of this module's class.
  for (const cls of plan.worker.classes) {
    e.after({ pos: cls.getStart(sf), end: cls.end }, ` ${rt}.hoist(${cls.name!.text}, ${names.workerUrl}, ${str(cls.name!.text)});`);
  }
  // Imported classes the worker module re-exports: registered after their import (CommonJS output defines the
  // binding there), so an instance of an imported class keeps its class too (values that are not functions are
  // skipped at run time).
  for (const { statement, names: used } of plan.worker.importedClasses) {
    const calls = used.map((n) => `if (typeof ${n} === 'function') ${rt}.hoist(${n}, ${names.workerUrl}, ${str(n)});`);
    e.after({ pos: statement.getStart(sf), end: statement.end }, ' ' + calls.join(' '));
  }
  e.before({ pos: -1, end: -1 }, header.join(' ') + ' ', headPosition(sf));
  return e;
}
