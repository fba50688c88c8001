// What each marked function needs from around it: captured locals (lambda lifting) and module-level state,
// and what makes it impossible to run in a worker (reported as diagnostics).
import ts from 'typescript';
import { messages, DiagnosticCode } from './diagnostics.js';
import { isForking, type MarkerSite } from './markers.js';
import { isInside, isFunctionBoundary, isWrite, mutationThrough, type Resolver } from './refs.js';

export type Report = (node: ts.Node, severity: 'error' | 'warning', code: number, message: string) => void;

export interface SiteInfo {
  /** captured locals, passed as hidden leading arguments, in this order */
  captures: string[];
}

/** All value references of the file, by the symbol they resolve to. */
export function referencesBySymbol(sf: ts.SourceFile, resolver: Resolver, forEachRef: (n: ts.Node, cb: (id: ts.Identifier) => void) => void) {
  const map = new Map<ts.Symbol, ts.Identifier[]>();
  forEachRef(sf, (id) => {
    const s = resolver.symbolOf(id);
    if (!s) return;
    const list = map.get(s) ?? [];
    list.push(id);
    map.set(s, list);
  });
  return map;
}

/** Declared directly in the file's scope (not inside any function or block). */
export function isModuleLevel(decl: ts.Node): boolean {
  if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) return true;
  let n: ts.Node = decl;
  if (ts.isBindingElement(n)) { while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent; }
  if (ts.isVariableDeclaration(n)) n = n.parent.parent; // list -> statement
  return !!n.parent && ts.isSourceFile(n.parent);
}

function variableStatementOf(decl: ts.Node): ts.VariableDeclarationList | undefined {
  let n: ts.Node = decl;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isVariableDeclaration(n) && ts.isVariableDeclarationList(n.parent) ? n.parent : undefined;
}

function isConstDecl(decl: ts.Node): boolean {
  const list = variableStatementOf(decl);
  return !!list && (list.flags & ts.NodeFlags.Const) !== 0;
}

function unwrap(e: ts.Expression | undefined): ts.Expression | undefined {
  while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
  return e;
}

export function analyzeSites(
  sites: MarkerSite[], resolver: Resolver, refs: Map<ts.Symbol, ts.Identifier[]>,
  forEachRef: (n: ts.Node, cb: (id: ts.Identifier) => void) => void,
  checkCloneable: ((node: unknown) => string | undefined) | undefined, report: Report,
): Map<MarkerSite, SiteInfo> {
  const out = new Map<MarkerSite, SiteInfo>();
  const siteOfDecl = new Map<ts.Node, MarkerSite>();
  for (const s of sites) siteOfDecl.set(s.nameNode.parent, s);

  const writesOf = (sym: ts.Symbol) => (refs.get(sym) ?? []).filter(isWrite);

  // First pass: raw captures (locals declared outside the function, inside an enclosing function or block).
  const raw = new Map<MarkerSite, { id: ts.Identifier; decl: ts.Declaration; sym: ts.Symbol }[]>();
  for (const site of sites) {
    const seen = new Set<ts.Symbol>();
    const list: { id: ts.Identifier; decl: ts.Declaration; sym: ts.Symbol }[] = [];
    const reportedState = new Set<ts.Symbol>();
    forEachRef(site.fn, (id) => {
      const sym = resolver.symbolOf(id);
      const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
      if (!sym || !decl || decl.getSourceFile() !== site.fn.getSourceFile()) return;
      // Its own name (`const g = (x) => g(x - 1)`) is no capture: the worker module declares it too.
      if (isInside(decl, site.fn) || decl === site.nameNode.parent) return;
      if (isModuleLevel(decl)) {
        // Module-level mutable state: a worker has its own copy of the module, and none of its top-level code.
        if (!variableStatementOf(decl) || reportedState.has(sym)) return;
        reportedState.add(sym);
        const writes = isConstDecl(decl) ? [] : writesOf(sym);
        const changes = (refs.get(sym) ?? []).map((r) => ({ ref: r, how: mutationThrough(r) })).filter((c) => c.how !== undefined);
        const inFn = (n: ts.Node) => isInside(n, site.fn);
        const write = writes.find(inFn);
        const change = changes.find((c) => inFn(c.ref) && c.how === 'write');
        const call = changes.find((c) => inFn(c.ref) && c.how !== 'write');
        const outside = changes.find((c) => !inFn(c.ref));
        if (write) report(write, 'error', DiagnosticCode.WritesModuleState, messages.writesModuleState(site.name, id.text));
        else if (change) report(change.ref.parent, 'error', DiagnosticCode.WritesModuleState, messages.changesModuleState(site.name, id.text));
        else if (call) report(call.ref.parent, 'warning', DiagnosticCode.MutatorOnModuleState, messages.mutatorOnModuleState(site.name, id.text, call.how!));
        else if (writes.length > 0) report(id, 'warning', DiagnosticCode.ReadsModuleState, messages.readsModuleState(site.name, id.text));
        else if (outside) {
          const line = outside.ref.getSourceFile().getLineAndCharacterOfPosition(outside.ref.getStart()).line + 1;
          report(id, 'warning', DiagnosticCode.ReadsMutatedModuleState, messages.readsMutatedModuleState(site.name, id.text, line));
        }
        return;
      }
      if (seen.has(sym)) return;
      seen.add(sym);
      list.push({ id, decl, sym });
    });
    raw.set(site, list);
  }

  for (const site of sites) {
    const captures: string[] = [];
    for (const { id, decl, sym } of raw.get(site)!) {
      const other = siteOfDecl.get(decl);
      if (other) {
        // Another marked function: fine when the worker has it at module level (no captures of its own).
        if ((raw.get(other) ?? []).length > 0) report(id, 'error', DiagnosticCode.UnhoistableCapture, messages.unhoistableCapture(site.name, id.text));
        continue;
      }
      const init = ts.isVariableDeclaration(decl) ? unwrap(decl.initializer) : undefined;
      if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)
        || (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init)))) {
        report(id, 'error', DiagnosticCode.UnhoistableCapture, messages.unhoistableCapture(site.name, id.text));
        continue;
      }
      const writes = writesOf(sym);
      if (writes.length > 0) {
        report(id, 'error', DiagnosticCode.ReassignedCapture, messages.reassignedCapture(site.name, id.text));
        continue;
      }
      const why = checkCloneable?.(id);
      if (why) {
        report(id, 'error', DiagnosticCode.UncloneableCapture, messages.uncloneableCapture(site.name, id.text, why));
        continue;
      }
      captures.push(id.text);
    }
    if (captures.length > 0 && !isForking(site.kind)) {
      report(site.nameNode, 'error', DiagnosticCode.CapturingNonForkMarker, messages.capturingNonForkMarker(site.name, site.kind, captures[0]!));
    }
    if (site.generator) report(site.nameNode, 'error', DiagnosticCode.GeneratorMarked, messages.generatorMarked(site.name, site.kind));
    checkThisAndArguments(site, report);
    checkPrinting(site, resolver, report);
    // Changes through a parameter (o.v = 1, xs.sort()) reach the caller in the sequential program only.
    for (const param of site.fn.parameters) {
      if (!ts.isIdentifier(param.name) || param.dotDotDotToken) continue; // a rest parameter is a fresh array
      const sym = resolver.symbolOf(param.name);
      const uses = sym ? (refs.get(sym) ?? []).filter((r) => isInside(r, site.fn) && r !== param.name) : [];
      if (uses.some(isWrite)) continue; // reassigned: it may hold the function's own object by then
      const change = uses.find((r) => mutationThrough(r) !== undefined);
      if (change) report(change.parent, 'warning', DiagnosticCode.ChangesArgument, messages.changesArgument(site.name, param.name.text));
    }
    out.set(site, { captures });
  }
  return out;
}

function checkThisAndArguments(site: MarkerSite, report: Report): void {
  let reportedThis = false;
  let reportedArgs = false;
  const visit = (n: ts.Node, inNestedFunction: boolean) => {
    if (n.kind === ts.SyntaxKind.ThisKeyword && !inNestedFunction && !site.method && !reportedThis) {
      reportedThis = true;
      report(n, 'error', DiagnosticCode.ThisInForked, messages.thisInForked(site.name));
    }
    if (ts.isIdentifier(n) && n.text === 'arguments' && !inNestedFunction && !reportedArgs
      && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      reportedArgs = true;
      report(n, 'error', DiagnosticCode.ArgumentsInForked, messages.argumentsInForked(site.name));
    }
    const nested = inNestedFunction || (n !== site.fn && (ts.isClassLike(n) || (isFunctionBoundary(n) && !ts.isArrowFunction(n))));
    ts.forEachChild(n, (c) => visit(c, nested));
  };
  ts.forEachChild(site.fn, (c) => visit(c, false));
}

/** console.* and process.stdout/stderr.write in a forked function (globals, not a local of that name): warned once. */
function checkPrinting(site: MarkerSite, resolver: Resolver, report: Report): void {
  let done = false;
  const visit = (n: ts.Node) => {
    if (done) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const callee = n.expression;
      const base = callee.expression;
      // A global (declared nowhere in this file: the TS front end resolves it to a lib .d.ts, the others to nothing).
      const global = (id: ts.Identifier) => resolver.symbolOf(id)?.valueDeclaration?.getSourceFile() !== site.fn.getSourceFile();
      const isConsole = ts.isIdentifier(base) && base.text === 'console' && global(base);
      const isStream = ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression) && base.expression.text === 'process'
        && (base.name.text === 'stdout' || base.name.text === 'stderr') && callee.name.text === 'write' && global(base.expression);
      if (isConsole || isStream) {
        done = true;
        report(n.expression, 'warning', DiagnosticCode.PrintsInWorker, messages.printsInWorker(site.name, `${callee.getText()}()`));
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(site.fn);
}
