// Which top-level statements a worker module keeps: the marked functions and, transitively, exactly the
// module-level declarations and imports they use. Everything else (a print on load, the main program) is blanked.
import ts from 'typescript';
import { isModuleLevel } from '../analysis.js';
import type { MarkerSite } from '../markers.js';
import { forEachReference, isInside, topStatementOf, type Resolver } from '../refs.js';

/** The statements kept whole, and the top-level statements kept only for the marked nested functions inside. */
export function keptStatements(sites: MarkerSite[], resolver: Resolver): { keep: Set<ts.Statement>; containers: Map<ts.Statement, MarkerSite[]> } {
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

/** Classes the worker module shares with the rewritten module: named, not default-exported, not `declare`. */
export function sharedClasses(sf: ts.SourceFile, keep: Set<ts.Statement>): ts.ClassDeclaration[] {
  const has = (st: ts.ClassDeclaration, kind: ts.SyntaxKind) => (ts.getModifiers(st) ?? []).some((m) => m.kind === kind);
  return sf.statements.filter((st): st is ts.ClassDeclaration => keep.has(st) && ts.isClassDeclaration(st) && !!st.name
    && !has(st, ts.SyntaxKind.DefaultKeyword) && !has(st, ts.SyntaxKind.DeclareKeyword));
}

/** The name a local binding of an import declaration has in the imported module ('default' for a default import). */
export function importedNameOf(st: ts.ImportDeclaration, local: string): string {
  const clause = st.importClause!;
  if (clause.name?.text === local) return 'default';
  const named = clause.namedBindings;
  const el = named && ts.isNamedImports(named) ? named.elements.find((e) => e.name.text === local) : undefined;
  return (el?.propertyName ?? el?.name)?.text ?? local;
}

/** Value bindings of kept imports that kept code refers to (not only in types), by import, in source order. */
export function importedValuesUsedBy(sf: ts.SourceFile, keep: Set<ts.Statement>, resolver: Resolver, refs: Map<ts.Symbol, ts.Identifier[]>) {
  const out: { statement: ts.ImportDeclaration; names: string[] }[] = [];
  const usedByKeptCode = (name: ts.Identifier) => {
    const sym = resolver.symbolOf(name);
    return !!sym && (refs.get(sym) ?? []).some((r) => r !== name && [...keep].some((st) => !ts.isImportDeclaration(st) && isInside(r, st)));
  };
  for (const st of sf.statements) {
    if (!keep.has(st) || !ts.isImportDeclaration(st) || !st.importClause || st.importClause.isTypeOnly) continue;
    const clause = st.importClause;
    const names: string[] = [];
    if (clause.name && usedByKeptCode(clause.name)) names.push(clause.name.text);
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const el of clause.namedBindings.elements) if (!el.isTypeOnly && usedByKeptCode(el.name)) names.push(el.name.text);
    }
    if (names.length > 0) out.push({ statement: st, names });
  }
  return out;
}
