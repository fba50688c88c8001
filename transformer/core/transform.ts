// transformModule: the rewritten module (forks, joins, hoist calls) and its worker module, from one analysis.
import MagicString from 'magic-string';
import ts from 'typescript';
import { analyzeSites, referencesBySymbol } from './analysis.js';
import { rewriteCallSites, RT, type ForkTarget } from './call-sites.js';
import { DiagnosticCode, messages, slipDiagnostic } from './diagnostics.js';
import { Edits } from './edits.js';
import { planWorker } from './hoist-plan.js';
import { exportAliases, findMarkers, isForking, poolOf, type MarkerSite } from './markers.js';
import { checkerFor, isTypeScriptFile, parse, programFor } from './parse.js';
import { forEachReference, isInside, Resolver } from './refs.js';
import type { Diagnostic, MarkedFunction, MarkerKind, TransformOptions, TransformResult } from './types.js';

const URL_VAR = `${RT}_worker`;

/** `dir/app.ts` -> `app.tsfork-worker.ts` (the generated worker module sits next to its module). */
export function workerFileNameOf(fileName: string): string {
  const m = /^(.*?)(\.[cm]?[jt]sx?)?$/.exec(fileName)!;
  return `${m[1]}.tsfork-worker${m[2] ?? '.js'}`;
}

/** The file name the worker module has once compiled to JavaScript. */
function emittedName(workerFileName: string): string {
  const base = workerFileName.replace(/^.*[\\/]/, '');
  return base.replace(/\.(m|c)?[jt]sx?$/, (_all, mc: string | undefined) => `.${mc ?? ''}js`);
}

export function transformModule(source: string, options: TransformOptions): TransformResult {
  const { fileName } = options;
  const sf = (options.sourceFile as ts.SourceFile | undefined) ?? parse(source, fileName);
  const typed = isTypeScriptFile(fileName);
  const diagnostics: Diagnostic[] = [];
  const reportAt = (start: number, length: number, severity: 'error' | 'warning', code: number, message: string) => {
    const lc = sf.getLineAndCharacterOfPosition(start);
    diagnostics.push({ severity, code, message, start, length, line: lc.line + 1, column: lc.character + 1 });
  };
  const report = (node: ts.Node, severity: 'error' | 'warning', code: number, message: string) => {
    const start = node.getStart(sf);
    reportAt(start, node.end - start, severity, code, message);
  };

  let program: ts.Program | undefined;
  if (options.syntaxErrors && !options.sourceFile) {
    program = programFor(sf);
    for (const d of program.getSyntacticDiagnostics(sf)) {
      const start = d.start ?? 0;
      const lc = sf.getLineAndCharacterOfPosition(start);
      diagnostics.push({
        severity: 'error', code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        start, length: d.length ?? 0, line: lc.line + 1, column: lc.character + 1,
      });
    }
    // The analysis below assumes a well-formed tree: on a broken one it would only add confusing errors.
    if (diagnostics.length > 0) return unchanged(source, fileName, diagnostics, []);
  }

  const { sites, problems } = findMarkers(sf);
  for (const p of problems) {
    if (p.slip) {
      const d = slipDiagnostic(p.slip);
      reportAt(p.slip.start, p.slip.length, d.severity, d.code, d.message);
    } else report(p.node, 'error', DiagnosticCode.MarkerPlacement, messages.markerPlacement(p.tag, p.what ?? 'this'));
  }
  const marked: MarkedFunction[] = sites.map((s) => ({
    name: s.name, kind: s.kind, exported: s.exported, async: s.async, params: s.params,
  }));

  const hasImportedMarkers = !!options.markedImports && sf.statements.some(ts.isImportDeclaration);
  if (sites.length === 0 && !hasImportedMarkers) return unchanged(source, fileName, diagnostics, marked);

  const checker = (options.checker as ts.TypeChecker | undefined) ?? program?.getTypeChecker() ?? checkerFor(sf);
  const resolver = new Resolver(checker);
  const valueRefs = (n: ts.Node, cb: (id: ts.Identifier) => void) => forEachReference(n, cb);
  const refs = referencesBySymbol(sf, resolver, valueRefs);
  const infos = analyzeSites(sites, resolver, refs, valueRefs, options.checkCloneable, report);
  const plan = planWorker(sites, resolver);
  const nestedInWorkerCode = new Set<MarkerSite>();
  for (const [top, nested] of plan.containers) {
    if (!plan.keep.has(top)) continue;
    for (const n of nested) {
      nestedInWorkerCode.add(n);
      const outer = sites.find((s) => s.topLevel && s.statement === top)?.name ?? 'a function';
      report(n.nameNode, 'error', DiagnosticCode.NestedInWorkerCode, messages.nestedInWorkerCode(n.name, outer));
    }
  }

  const siteByDecl = new Map<ts.Node, MarkerSite>();
  for (const s of sites) if (!s.method) siteByDecl.set(s.nameNode.parent, s);
  const standIn = (s: MarkerSite) => `${RT}_${s.name}`;
  const wrapperName = (s: MarkerSite) => `${RT}_fork_${s.name}`;
  const methodExport = (s: MarkerSite) => `${RT}_${s.name.replace('.', '_')}`;

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
  const importedMarker = (spec: string, name: string): { kind: MarkerKind; async: boolean; params?: number } | undefined => {
    const m = options.markedImports?.(spec, name);
    if (!m) return undefined;
    return typeof m === 'string' ? { kind: m, async: false } : { kind: m.kind, async: !!m.async, params: m.params };
  };

  const targetFor = (forWorker: boolean) => {
    const ofSite = (site: MarkerSite, at: ts.Node, calleeText: string): ForkTarget | undefined => {
      if (!isForking(site.kind)) return undefined;
      // Recursion: calls from inside the function itself stay plain calls (a worker runs the whole recursion).
      // In the rewritten module a decorated method's own calls go through its fork wrapper, so they are joined.
      if (isInside(at, site.fn) && !(site.method && !forWorker)) return undefined;
      const captures = infos.get(site)?.captures ?? [];
      return { callee: captures.length > 0 && !forWorker ? standIn(site) : calleeText, captures, async: site.async };
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
  };

  let counter = 0;
  const fresh = (base: string) => `${RT}_${base}${++counter}`;
  const callSiteEdits = (forWorker: boolean) => {
    const edits = new Edits();
    const { targetOf, ofIdentifier } = targetFor(forWorker);
    let found = false;
    rewriteCallSites({
      sf, edits, fresh, typed,
      targetOf: (c) => { const t = targetOf(c); if (t) found = true; return t; },
      targetOfReference: (id) => { const t = ofIdentifier(id); if (t) found = true; return t; },
      symbolOf: (id) => resolver.symbolOf(id),
      referencesOf: (sym) => refs.get(sym) ?? [],
    });
    return { edits, found };
  };

  const main = callSiteEdits(false);
  if (sites.length === 0 && !main.found) return unchanged(source, fileName, diagnostics, marked);

  const keptClasses = sites.length === 0 ? [] : sf.statements.filter((st): st is ts.ClassDeclaration => plan.keep.has(st)
    && ts.isClassDeclaration(st) && !!st.name && !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    && !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
  // Class-like (PascalCase) imported values the worker code uses, not marked functions of other modules.
  const importedValues = sites.length === 0 ? [] : importedValuesUsedBy(sf, plan.keep, resolver, refs)
    .map(({ statement, names }) => ({
      statement,
      names: names.filter((n) => /^[A-Z]/.test(n) && !options.markedImports?.((statement.moduleSpecifier as ts.StringLiteral).text, importedNameOf(statement, n))),
    }))
    .filter((i) => i.names.length > 0);
  const workerFileName = workerFileNameOf(fileName);
  const emitted = emittedName(workerFileName);
  const cjs = options.moduleFormat === 'cjs';
  const runtime = JSON.stringify(options.runtimeSpecifier ?? 'tsfork');
  const importRuntime = cjs ? `const ${RT} = require(${runtime});` : `import * as ${RT} from ${runtime};`;
  const headPos = headPosition(sf);
  const head = { pos: -1, end: -1 };
  const str = JSON.stringify;

  // ---- the rewritten module
  {
    const e = main.edits;
    const mainUrl = options.workerUrlExpression?.(workerFileName)
      ?? (options.workerUrl ? str(options.workerUrl(workerFileName))
        : cjs ? `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${str(emitted)})).href`
          : `new URL(${str('./' + emitted)}, import.meta.url).href`);
    const header: string[] = [importRuntime];
    if (sites.length > 0) header.push(`const ${URL_VAR} = ${mainUrl};`);
    const aliases = exportAliases(sf);
    for (const site of sites) {
      const pool = str(poolOf(site.kind));
      if (site.method) {
        e.after({ pos: site.statement.getStart(sf), end: site.statement.end }, ` ${RT}.hoist(${site.name}, ${URL_VAR}, ${str(methodExport(site))}, ${pool});`);
        continue;
      }
      const exportName = site.isDefault ? 'default' : site.name;
      const hoistCall = (fn: string) => `${RT}.hoist(${fn}, ${URL_VAR}, ${str(exportName)}, ${pool})`;
      const captures = infos.get(site)?.captures ?? [];
      const owner = { pos: site.statement.getStart(sf), end: site.statement.end };
      if (!site.topLevel) {
        if (nestedInWorkerCode.has(site)) continue;
        if (captures.length > 0) {
          const cs = captures.map((_c, i) => `${RT}_c${i}${typed ? ': any' : ''}`);
          const rest = `${RT}_a`;
          e.after(owner, ` const ${standIn(site)} = ${RT}.hoist((${cs.join(', ')}, ...${rest}${typed ? ': any[]' : ''}) => ${typed ? `(${site.name} as any)` : site.name}(...${rest}), ${URL_VAR}, ${str(exportName)}, ${pool});`);
        } else e.after(owner, ` ${hoistCall(site.name)};`);
        continue;
      }
      const exportedVia = aliases.get(site.name) ?? [];
      const needsWrapper = isForking(site.kind) && (site.exported || exportedVia.length > 0);
      const isDecl = ts.isFunctionDeclaration(site.statement);
      const lines: string[] = [];
      if (needsWrapper) {
        const w = wrapperName(site);
        const fnKind = site.kind === 'ioBoundFork' ? 'ioBoundFork' : 'cpuBoundFork';
        lines.push(`const ${w}${typed ? `: typeof ${site.name}` : ''} = ${RT}.${fnKind}(${hoistCall(site.name)})${typed ? ' as any' : ''};`);
        if (site.exported) {
          for (const mod of ts.getModifiers(site.statement as ts.FunctionDeclaration) ?? []) {
            if (mod.kind === ts.SyntaxKind.ExportKeyword || mod.kind === ts.SyntaxKind.DefaultKeyword) e.blank(source, mod.getStart(sf), mod.end);
          }
          lines.push(site.isDefault ? `export default ${w};` : `export { ${w} as ${site.name} };`);
        }
        for (const a of exportedVia) {
          const local = a.specifier.propertyName ?? a.specifier.name;
          e.replace(local.getStart(sf), local.end, a.specifier.propertyName ? w : `${w} as ${site.name}`);
        }
      } else lines.push(`${hoistCall(site.name)};`);
      if (isDecl) header.push(...lines);
      else e.after(owner, ' ' + lines.join(' '));
    }
    // Classes the worker module shares (an error class thrown in a worker): registered, so what comes back is
    // an instance of this module's class.
    for (const cls of keptClasses) {
      e.after({ pos: cls.getStart(sf), end: cls.end }, ` ${RT}.hoist(${cls.name!.text}, ${URL_VAR}, ${str(cls.name!.text)});`);
    }
    // Imported classes the worker module re-exports: registered after their import (CommonJS output defines the
    // binding there), so an instance of an imported class keeps its class too (values that are not functions are
    // skipped at run time).
    for (const { statement, names } of importedValues) {
      const calls = names.map((n) => `if (typeof ${n} === 'function') ${RT}.hoist(${n}, ${URL_VAR}, ${str(n)});`);
      e.after({ pos: statement.getStart(sf), end: statement.end }, ' ' + calls.join(' '));
    }
    e.before(head, header.join(' ') + ' ', headPos);
  }
  const s = new MagicString(source);
  main.edits.apply(source, s);
  const result: TransformResult = {
    code: s.toString(),
    map: s.generateMap({ source: fileName, file: fileName, includeContent: true, hires: true }),
    workers: [],
    diagnostics,
    marked,
  };
  if (sites.length === 0) return result;

  // ---- the worker module: the same file with everything the marked functions do not need blanked out
  const { edits: w } = callSiteEdits(true);
  for (const st of sf.statements) {
    if (plan.keep.has(st)) continue;
    const nested = (plan.containers.get(st) ?? []).filter((n) => !nestedInWorkerCode.has(n))
      .map((n) => n.statement).sort((a, b) => a.getStart(sf) - b.getStart(sf));
    let pos = st.getStart(sf);
    for (const n of nested) {
      if (n.getStart(sf) < pos) continue; // inside another kept nested function
      w.blank(source, pos, n.getStart(sf));
      pos = n.end;
    }
    w.blank(source, pos, st.end);
  }
  const header: string[] = [importRuntime, `const ${URL_VAR} = ${cjs ? 'require("node:url").pathToFileURL(__filename).href' : 'import.meta.url'};`];
  for (const site of sites) {
    if (nestedInWorkerCode.has(site)) continue;
    const pool = str(poolOf(site.kind));
    const owner = { pos: site.statement.getStart(sf), end: site.statement.end };
    if (site.method) {
      w.blank(source, site.method.decorator.getStart(sf), site.method.decorator.end);
      const name = methodExport(site);
      w.after(owner, ` export const ${name} = ${site.name}.bind(${site.method.className}); ${RT}.hoist(${site.name}, ${URL_VAR}, ${str(name)}, ${pool});`);
      continue;
    }
    const exportName = site.isDefault ? 'default' : site.name;
    if (!site.exported) w.before(owner, 'export ');
    const hoist = `${RT}.hoist(${site.name}, ${URL_VAR}, ${str(exportName)}, ${pool});`;
    if (site.topLevel && ts.isFunctionDeclaration(site.statement)) header.push(hoist);
    else w.after(owner, ' ' + hoist);
    const captures = infos.get(site)?.captures ?? [];
    if (captures.length > 0) {
      addCaptureParams(w, site, captures, typed, source, sf);
      // Its own recursive calls pass the captures along.
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && resolver.declarationOf(n.expression) === site.nameNode.parent) {
          const pos = n.arguments.pos;
          w.before({ pos, end: pos }, captures.join(', ') + (n.arguments.length > 0 ? ', ' : ''));
        }
        ts.forEachChild(n, visit);
      };
      visit(site.fn);
    }
  }
  for (const cls of keptClasses) {
    if (!(ts.getModifiers(cls) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) w.before({ pos: cls.getStart(sf), end: cls.end }, 'export ');
  }
  // Imported classes the worker code uses are exported too, so an instance of one in a result finds its class
  // (runtime/scheduler/classes.ts looks among the worker module's exports).
  const reexports = importedValues.flatMap((i) => i.names);
  if (reexports.length > 0) w.after({ pos: sf.end, end: sf.end }, `\nexport { ${reexports.join(', ')} };\n`);
  if (options.workerImportsFromWorkers) rewriteWorkerImports(w, sf, plan.keep, options);
  w.before(head, header.join(' ') + ' ', headPos);
  const ws = new MagicString(source);
  w.apply(source, ws);
  result.workers.push({
    fileName: workerFileName,
    code: ws.toString(),
    map: ws.generateMap({ source: fileName, file: workerFileName, includeContent: true, hires: true }),
  });
  return result;
}

/** The name a local binding of an import declaration has in the imported module ('default' for a default import). */
function importedNameOf(st: ts.ImportDeclaration, local: string): string {
  const clause = st.importClause!;
  if (clause.name?.text === local) return 'default';
  const named = clause.namedBindings;
  const el = named && ts.isNamedImports(named) ? named.elements.find((e) => e.name.text === local) : undefined;
  return (el?.propertyName ?? el?.name)?.text ?? local;
}

/** Value bindings of kept imports that kept code refers to (not only in types), by import, in source order. */
function importedValuesUsedBy(sf: ts.SourceFile, keep: Set<ts.Statement>, resolver: Resolver, refs: Map<ts.Symbol, ts.Identifier[]>) {
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

function addCaptureParams(w: Edits, site: MarkerSite, captures: string[], typed: boolean, source: string, sf: ts.SourceFile) {
  const params = captures.map((c) => (typed ? `${c}: any` : c)).join(', ');
  const fn = site.fn;
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
}

/** Where generated imports go: after a #! line and the directive prologue ('use strict'). */
function headPosition(sf: ts.SourceFile): number {
  let pos = 0;
  if (sf.text.startsWith('#!')) {
    const nl = sf.text.indexOf('\n');
    pos = nl < 0 ? sf.text.length : nl + 1;
  }
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) pos = st.end;
    else break;
  }
  return pos;
}

function unchanged(source: string, fileName: string, diagnostics: Diagnostic[], marked: MarkedFunction[]): TransformResult {
  const s = new MagicString(source);
  return { code: source, map: s.generateMap({ source: fileName, file: fileName, includeContent: true, hires: true }), workers: [], diagnostics, marked };
}

