// Which top-level statements a worker module keeps: the marked functions and, transitively, exactly the
// module-level declarations and imports they use. Everything else (a print on load, the main program) is blanked.
import ts from 'typescript';
import { isModuleLevel } from './analysis.js';
import type { MarkerSite } from './markers.js';
import { forEachReference, topStatementOf, type Resolver } from './refs.js';

export interface WorkerPlan {
  /** top-level statements kept whole */
  keep: Set<ts.Statement>;
  /** top-level statements that are blanked except for the marked nested functions inside them */
  containers: Map<ts.Statement, MarkerSite[]>;
}

export function planWorker(sites: MarkerSite[], resolver: Resolver): WorkerPlan {
  const keep = new Set<ts.Statement>();
  const containers = new Map<ts.Statement, MarkerSite[]>();
  const queue: ts.Node[] = [];

  const depsOf = (node: ts.Node) => {
    forEachReference(node, (id) => {
      const decl = resolver.declarationOf(id);
      if (!decl || decl.getSourceFile() !== node.getSourceFile() || !isModuleLevel(decl)) return;
      const st = topStatementOf(decl);
      if (st && !keep.has(st)) { keep.add(st); queue.push(st); }
    }, { types: true });
  };

  for (const site of sites) {
    if (site.topLevel) {
      if (!keep.has(site.statement)) { keep.add(site.statement); queue.push(site.statement); }
    } else {
      const top = topStatementOf(site.statement)!;
      const list = containers.get(top) ?? [];
      list.push(site);
      containers.set(top, list);
      queue.push(site.statement);
    }
  }
  while (queue.length > 0) depsOf(queue.pop()!);
  return { keep, containers };
}
