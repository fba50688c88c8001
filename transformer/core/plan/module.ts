// planModule: the one analysis of a module, as a typed plan (plan/types.ts) the emitters render.
import ts from 'typescript';
import { analyzeSites, referencesBySymbol, type Report } from '../analysis.js';
import { DiagnosticCode, messages, slipDiagnostic } from '../diagnostics.js';
import type { CallContext } from '../joins/shared.js';
import { exportAliases, findMarkers, isForking, type MarkerSite } from '../markers.js';
import { isTypeScriptFile } from '../parse.js';
import { forEachReference, isInside, Resolver } from '../refs.js';
import type { MarkedFunction, MarkerKind, TransformOptions } from '../types.js';
import { planCalls } from './calls.js';
import { Names, topLevelWorkerName } from './names.js';
import type { ForkTarget, ModulePlan, PlannedFunction } from './types.js';
import { importedNameOf, importedValuesUsedBy, keptStatements, sharedClasses } from './worker-contents.js';

export interface Planned {
  marked: MarkedFunction[];
  /** undefined: nothing to rewrite (no marked function, no forked call of an imported one) */
  plan?: ModulePlan;
}

export function planModule(sf: ts.SourceFile, options: TransformOptions, checker: () => ts.TypeChecker, report: Report,
  reportAt: (start: number, length: number, severity: 'error' | 'warning', code: number, message: string) => void): Planned {
  const { sites, problems } = findMarkers(sf);
  for (const p of problems) {
    if (p.slip) {
      // A tag that marks nothing (near-miss, case slip, marker name in a plain comment): underlined at the tag.
      const d = slipDiagnostic(p.slip);
      reportAt(p.slip.start, p.slip.length, d.severity, d.code, d.message);
    } else report(p.node, 'error', DiagnosticCode.MarkerPlacement, messages.markerPlacement(p.tag, p.what ?? 'this'));
  }
  const marked: MarkedFunction[] = sites.map((s) => ({
    name: s.name, kind: s.kind, exported: s.exported, async: s.async, params: s.params,
  }));
  const hasImportedMarkers = !!options.markedImports && sf.statements.some(ts.isImportDeclaration);
  if (sites.length === 0 && !hasImportedMarkers) return { marked };

  const resolver = new Resolver(checker());
  const valueRefs = (n: ts.Node, cb: (id: ts.Identifier) => void) => forEachReference(n, cb);
  const refs = referencesBySymbol(sf, resolver, valueRefs);
  const infos = analyzeSites(sites, resolver, refs, valueRefs, options.checkCloneable, report);
  const { keep, containers } = keptStatements(sites, resolver);
  const notLifted = new Set<MarkerSite>();
  for (const [top, nested] of containers) {
    if (!keep.has(top)) continue;
    for (const n of nested) {
      notLifted.add(n);
      const outer = sites.find((s) => s.topLevel && s.statement === top)?.name ?? 'a function';
      report(n.nameNode, 'error', DiagnosticCode.NestedInWorkerCode, messages.nestedInWorkerCode(n.name, outer));
    }
  }

  const names = new Names(sf);
  const functions = planFunctions(sf, sites, notLifted, names, (s) => infos.get(s)?.captures ?? [], resolver, refs);
  const fnOf = new Map(functions.map((f) => [f.site, f]));
  const typed = isTypeScriptFile(options.fileName);
  const context = (forWorker: boolean, inScope: (n: ts.Node) => boolean): CallContext => {
    const { targetOf, ofIdentifier } = targets(sites, fnOf, resolver, options, forWorker);
    return {
      sf, names, typed,
      targetOf: (call) => (inScope(call) ? targetOf(call) : undefined),
      targetOfReference: (id) => (inScope(id) ? ofIdentifier(id) : undefined),
      symbolOf: (id) => resolver.symbolOf(id),
      referencesOf: (sym) => refs.get(sym) ?? [],
    };
  };
  const main = planCalls(context(false, () => true));
  if (sites.length === 0 && main.forks.length === 0 && main.mapReferences.length === 0) return { marked };

  // The worker module plans only the code it keeps: the rest is blanked.
  const lifted = functions.filter((f) => !f.site.topLevel && !f.notLifted).map((f) => f.site.statement);
  const inWorker = (n: ts.Node) => [...keep].some((st) => isInside(n, st)) || lifted.some((st) => isInside(n, st));
  const workerCalls = planCalls(context(true, inWorker));

  const importedClasses = sites.length === 0 ? [] : importedValuesUsedBy(sf, keep, resolver, refs)
    .map(({ statement, names: used }) => ({
      statement,
      // Class-like (PascalCase) imported values, not marked functions of other modules.
      names: used.filter((n) => /^[A-Z]/.test(n) && !options.markedImports?.((statement.moduleSpecifier as ts.StringLiteral).text, importedNameOf(statement, n))),
    }))
    .filter((i) => i.names.length > 0);
  const classes = sites.length === 0 ? [] : sharedClasses(sf, keep);
  return {
    marked,
    plan: { sf, typed, names, functions, worker: { keep, containers, classes, importedClasses }, main, workerCalls },
  };
}

/**
 * Worker names: a top-level function keeps its own (other modules import it by that name); a lifted nested one
 * keeps its name unless another function of the worker module, or any module-level name, has it already.
 */
function planFunctions(sf: ts.SourceFile, sites: MarkerSite[], notLifted: Set<MarkerSite>, names: Names,
  capturesOf: (s: MarkerSite) => string[], resolver: Resolver, refs: Map<ts.Symbol, ts.Identifier[]>): PlannedFunction[] {
  const aliases = exportAliases(sf);
  const moduleLevel = new Set<string>();
  for (const st of sf.statements) for (const n of declaredNames(st)) moduleLevel.add(n);
  for (const s of sites) if (s.topLevel) moduleLevel.add(topLevelWorkerName(s));
  return sites.map((site) => {
    const captures = capturesOf(site);
    let workerName = site.name;
    if (site.topLevel) workerName = topLevelWorkerName(site);
    else if (!notLifted.has(site)) {
      workerName = moduleLevel.has(site.name) ? names.claim(site.name) : site.name;
      moduleLevel.add(workerName);
    }
    const exportedVia = site.topLevel && !site.method ? aliases.get(site.name) ?? [] : [];
    const wrapped = site.topLevel && !site.method && isForking(site.kind) && (site.exported || exportedVia.length > 0);
    const sym = site.method ? undefined : resolver.symbolOf(site.nameNode);
    const uses = sym ? (refs.get(sym) ?? []).filter((r) => r !== site.nameNode) : [];
    // Its own recursive calls pass the captures along in the worker module.
    const selfCalls = captures.length === 0 ? [] : uses.filter((r) => isInside(r, site.fn) && ts.isCallExpression(r.parent)
      && r.parent.expression === r).map((r) => r.parent as ts.CallExpression);
    return {
      site, workerName, captures, notLifted: notLifted.has(site), exportedVia, selfCalls,
      workerRenames: workerName === site.name || site.topLevel ? [] : [site.nameNode, ...uses],
      standIn: !site.topLevel && captures.length > 0 ? names.claim(`${names.rt}_${site.name}`) : undefined,
      wrapper: wrapped ? names.claim(`${names.rt}_fork_${site.name}`) : undefined,
    };
  });
}

function declaredNames(st: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) return [st.name.text];
  if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) return [st.name.text];
  if (ts.isImportEqualsDeclaration(st)) return [st.name.text];
  if (ts.isImportDeclaration(st)) {
    const c = st.importClause;
    const out: string[] = [];
    if (c?.name) out.push(c.name.text);
    if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) out.push(c.namedBindings.name.text);
    if (c?.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) out.push(e.name.text);
    return out;
  }
  if (ts.isVariableStatement(st)) {
    const out: string[] = [];
    const bind = (n: ts.BindingName) => {
      if (ts.isIdentifier(n)) out.push(n.text);
      else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
    };
    for (const d of st.declarationList.declarations) bind(d.name);
    return out;
  }
  return [];
}

/** Which calls fork, and what they fork, as seen from the rewritten module or the worker module. */
function targets(sites: MarkerSite[], fnOf: Map<MarkerSite, PlannedFunction>, resolver: Resolver, options: TransformOptions, forWorker: boolean) {
  const siteByDecl = new Map<ts.Node, MarkerSite>();
  for (const s of sites) if (!s.method) siteByDecl.set(s.nameNode.parent, s);
  const imported = (decl: ts.Node): { spec: string; name: string } | undefined => {
    if (ts.isImportSpecifier(decl)) {
      const d = decl.parent.parent.parent;
      if (decl.isTypeOnly || d.importClause?.isTypeOnly || !ts.isStringLiteral(d.moduleSpecifier)) return undefined;
      return { spec: d.moduleSpecifier.text, name: (decl.propertyName ?? decl.name).text };
    }
    if (ts.isImportClause(decl) && !decl.isTypeOnly && ts.isStringLiteral(decl.parent.moduleSpecifier)) {
      return { spec: decl.parent.moduleSpecifier.text, name: 'default' };
    }
    return undefined;
  };
  const importedMarker = (spec: string, name: string): { kind: MarkerKind; async: boolean } | undefined => {
    const m = options.markedImports?.(spec, name);
    if (!m) return undefined;
    return typeof m === 'string' ? { kind: m, async: false } : { kind: m.kind, async: !!m.async };
  };
  const ofSite = (site: MarkerSite, at: ts.Node, calleeText: string): ForkTarget | undefined => {
    if (!isForking(site.kind)) return undefined;
    // Recursion: calls from inside the function itself stay plain calls (a worker runs the whole recursion).
    // In the rewritten module a decorated method's own calls go through its fork wrapper, so they are joined.
    if (isInside(at, site.fn) && !(site.method && !forWorker)) return undefined;
    const fn = fnOf.get(site)!;
    const callee = forWorker ? (site.topLevel ? calleeText : fn.workerName) : fn.standIn ?? calleeText;
    return { callee, captures: fn.captures, async: site.async };
  };
  const ofIdentifier = (id: ts.Identifier): ForkTarget | undefined => {
    const decl = resolver.declarationOf(id);
    if (!decl) return undefined;
    const site = siteByDecl.get(decl);
    if (site) return ofSite(site, id, id.text);
    const imp = imported(decl);
    const m = imp && importedMarker(imp.spec, imp.name);
    if (m && isForking(m.kind)) return { callee: id.text, captures: [], async: m.async };
    return undefined;
  };
  const targetOf = (call: ts.CallExpression): ForkTarget | undefined => {
    const e = call.expression;
    if (ts.isIdentifier(e)) return ofIdentifier(e);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && ts.isIdentifier(e.name)) {
      const decl = resolver.declarationOf(e.expression);
      if (!decl) return undefined;
      const text = `${e.expression.text}.${e.name.text}`;
      if (ts.isClassDeclaration(decl)) {
        const site = sites.find((s) => s.method?.cls === decl && s.nameNode.text === e.name.text);
        return site && ofSite(site, call, text);
      }
      let m: ReturnType<typeof importedMarker>;
      if (ts.isNamespaceImport(decl) && ts.isStringLiteral(decl.parent.parent.moduleSpecifier)) {
        m = importedMarker(decl.parent.parent.moduleSpecifier.text, e.name.text);
      } else {
        const imp = imported(decl);
        m = imp && importedMarker(imp.spec, `${imp.name}.${e.name.text}`);
      }
      if (m && isForking(m.kind)) return { callee: text, captures: [], async: m.async };
    }
    return undefined;
  };
  return { targetOf, ofIdentifier };
}
