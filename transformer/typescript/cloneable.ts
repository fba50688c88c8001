// The type-based check the TS front end gives the core: can a captured value's static type be structured-cloned?
import type ts from 'typescript';

const uncloneableNames = new Set(['Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'Function', 'Symbol', 'Generator', 'AsyncGenerator']);

export function uncloneableReason(tsi: typeof ts, checker: ts.TypeChecker, type: ts.Type, depth = 0): string | undefined {
  if (type.flags & (tsi.TypeFlags.Any | tsi.TypeFlags.Unknown)) return undefined;
  if (type.flags & (tsi.TypeFlags.ESSymbol | tsi.TypeFlags.UniqueESSymbol)) return `'${checker.typeToString(type)}' is a symbol`;
  if (type.isUnion() || type.isIntersection()) {
    for (const t of type.types) { const r = uncloneableReason(tsi, checker, t, depth); if (r) return r; }
    return undefined;
  }
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
    return `'${checker.typeToString(type)}' is a function`;
  }
  const name = type.getSymbol()?.getName();
  if (name && uncloneableNames.has(name)) return `'${checker.typeToString(type)}' is a ${name}`;
  if (depth >= 2 || !(type.flags & tsi.TypeFlags.Object)) return undefined;
  for (const prop of type.getProperties()) {
    const decl = prop.valueDeclaration;
    if (!decl) continue;
    const r = uncloneableReason(tsi, checker, checker.getTypeOfSymbolAtLocation(prop, decl), depth + 1);
    if (r) return `its property '${prop.getName()}': ${r}`;
  }
  return undefined;
}

/** The core passes its own node; find the program's node at the same place and check its type. */
export function checkCloneableIn(tsi: typeof ts, program: ts.Program, sf: ts.SourceFile) {
  const checker = program.getTypeChecker();
  return (node: unknown): string | undefined => {
    const n = node as { getStart(): number; end: number };
    const start = n.getStart();
    let found: ts.Node | undefined;
    const visit = (c: ts.Node) => {
      if (found || c.end < start || c.pos > start) return;
      if (tsi.isIdentifier(c) && c.getStart(sf) === start && c.end === n.end) { found = c; return; }
      tsi.forEachChild(c, visit);
    };
    visit(sf);
    if (!found) return undefined;
    return uncloneableReason(tsi, checker, checker.getTypeAtLocation(found));
  };
}
