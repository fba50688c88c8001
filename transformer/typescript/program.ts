// The ts-patch program transformer: every source file that marks something, or imports from one that does, goes
// through the core; the rewritten texts and the generated worker modules become a new Program (served by a
// wrapping host), so tsc emits them with the user's own settings (module format, rootDir/outDir, source maps).
// Type errors are those of the user's code as written (the original program); tsfork's own diagnostics are added to
// them, and an error fails the build like a type error.
// Build cost: a text check first (no file that may mark: the program is returned as it is, the core not even
// loaded); the core works on the program's own SourceFiles and checker; the new program reuses every unchanged
// SourceFile and is not type-checked again (the original program's check is the one reported).
import { createRequire } from 'node:module';
import type ts from 'typescript';
import type * as Core from '../core/index.js';
import type { MarkedFunction, SourceMap } from '../core/index.js';
import { mayMark } from '../core/marker-names.js';
import { checkCloneableIn } from './cloneable.js';
import { chainMap, normalize } from './source-maps.js';

// The core imports its own TypeScript (seconds of CPU to load on a busy machine): only when a file may mark.
let loadedCore: typeof Core | undefined;
const core = (): typeof Core => (loadedCore ??= createRequire(import.meta.url)('../core/index.js') as typeof Core);

export interface TransformedProgram { program: ts.Program; diagnostics: ts.Diagnostic[] }

function isProjectFile(program: ts.Program, sf: ts.SourceFile): boolean {
  return !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !/[\\/]node_modules[\\/]/.test(sf.fileName);
}

function moduleFormatOf(tsi: typeof ts, program: ts.Program, sf: ts.SourceFile): 'esm' | 'cjs' {
  const p = program as ts.Program & { getEmitModuleFormatOfFile?(f: ts.SourceFile): ts.ModuleKind };
  const kind = p.getEmitModuleFormatOfFile?.(sf) ?? sf.impliedNodeFormat ?? program.getCompilerOptions().module;
  return kind === tsi.ModuleKind.CommonJS || kind === tsi.ModuleKind.AMD || kind === tsi.ModuleKind.UMD || kind === tsi.ModuleKind.System ? 'cjs' : 'esm';
}

function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16) + ':' + text.length;
}

export function transformProgram(tsi: typeof ts, program: ts.Program, host: ts.CompilerHost | undefined): ts.Program {
  const projectFiles = program.getSourceFiles().filter((sf) => isProjectFile(program, sf));
  // Files with a tag that is or looks like a marker: the others can only matter by importing a marked function.
  const candidates = new Set(projectFiles.filter((sf) => mayMark(sf.text)));
  if (candidates.size === 0) return program;

  const { scanMarkers, transformModule } = core();
  const options = program.getCompilerOptions();
  const baseHost = host ?? tsi.createCompilerHost(options);
  const rewritten = new Map<string, string>();
  const workers = new Map<string, string>();
  const coreMaps = new Map<string, SourceMap>(); // generated .ts file -> map to the original
  const own = new Map<string, ts.Diagnostic[]>();
  const scanned = new Map<string, MarkedFunction[]>();
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => tsi.sys.getCurrentDirectory(), getNewLine: () => tsi.sys.newLine,
  };
  // The core may use the program's parse and checker when they come from the TypeScript it was built with (the
  // same version: its syntax kinds and flags are the same numbers); the checker also binds every file (parents set).
  const shared = tsi.version === core().typescriptVersion;
  const checker = shared ? program.getTypeChecker() : undefined;

  const markersOf = (file: string): MarkedFunction[] => {
    let m = scanned.get(file);
    if (!m) {
      const sf = program.getSourceFile(file);
      m = sf && candidates.has(sf) ? scanMarkers(sf.text, file, shared ? sf : undefined) : [];
      scanned.set(file, m);
    }
    return m;
  };
  const resolvedFile = (sf: ts.SourceFile, specifier: ts.StringLiteral): string | undefined => {
    const p = program as ts.Program & { getResolvedModuleFromModuleSpecifier?(s: ts.StringLiteral, f: ts.SourceFile): ts.ResolvedModuleWithFailedLookupLocations | undefined };
    const r = p.getResolvedModuleFromModuleSpecifier
      ? p.getResolvedModuleFromModuleSpecifier(specifier, sf)?.resolvedModule
      : tsi.resolveModuleName(specifier.text, sf.fileName, options, baseHost).resolvedModule;
    return r && !r.isExternalLibraryImport ? r.resolvedFileName : undefined;
  };
  // A file without any marker-like tag changes only if it imports from a project file that marks something.
  const importsMarked = (sf: ts.SourceFile) => sf.statements.some((st) => tsi.isImportDeclaration(st)
    && tsi.isStringLiteral(st.moduleSpecifier) && (markersOf(resolvedFile(sf, st.moduleSpecifier) ?? '').length > 0));

  for (const sf of projectFiles) {
    if (!candidates.has(sf) && !importsMarked(sf)) continue;
    const specifiers = new Map<string, string | undefined>();
    for (const st of sf.statements) {
      if (tsi.isImportDeclaration(st) && tsi.isStringLiteral(st.moduleSpecifier)) specifiers.set(st.moduleSpecifier.text, resolvedFile(sf, st.moduleSpecifier));
    }
    const markedImports = (specifier: string, importedName: string) => {
      const file = specifiers.has(specifier) ? specifiers.get(specifier)
        : tsi.resolveModuleName(specifier, sf.fileName, options, baseHost).resolvedModule?.resolvedFileName;
      return file === undefined ? undefined : markersOf(file).find((m) => m.exported && m.name === importedName);
    };
    const result = transformModule(sf.text, {
      fileName: sf.fileName,
      moduleFormat: moduleFormatOf(tsi, program, sf),
      markedImports,
      workerImportsFromWorkers: true,
      checkCloneable: checkCloneableIn(tsi, program, sf),
      sourceFile: shared ? sf : undefined,
      checker,
    });
    const toTs = (d: (typeof result.diagnostics)[number]): ts.Diagnostic => ({
      file: sf, start: d.start, length: d.length, messageText: d.message, code: d.code, source: 'tsfork',
      category: d.severity === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) own.set(normalize(sf.fileName), errors.map(toTs));
    // tsc fails the build on any diagnostic it collects, so warnings are printed here instead.
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(toTs);
    if (warnings.length > 0) tsi.sys.write(tsi.formatDiagnostics(warnings, formatHost));
    if (result.code !== sf.text) {
      rewritten.set(normalize(sf.fileName), result.code);
      coreMaps.set(normalize(sf.fileName), result.map);
    }
    for (const w of result.workers) {
      workers.set(normalize(w.fileName), w.code);
      coreMaps.set(normalize(w.fileName), w.map);
    }
  }
  if (rewritten.size === 0 && workers.size === 0 && own.size === 0) return program;

  const generated = (f: string) => rewritten.get(normalize(f)) ?? workers.get(normalize(f));
  const newHost: ts.CompilerHost = {
    ...baseHost,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      const text = generated(fileName);
      // An unchanged file is the original program's SourceFile: parsed and bound once.
      if (text === undefined) return program.getSourceFile(fileName) ?? baseHost.getSourceFile(fileName, languageVersion, onError, shouldCreate);
      const sf = tsi.createSourceFile(fileName, text, languageVersion, false);
      // Builder programs (incremental, watch) need a version per file; the text's hash serves.
      (sf as ts.SourceFile & { version?: string }).version = baseHost.createHash?.(text) ?? hashOf(text);
      return sf;
    },
    fileExists: (f) => workers.has(normalize(f)) || baseHost.fileExists(f),
    readFile: (f) => generated(f) ?? baseHost.readFile(f),
    writeFile(fileName, text, bom, onError, sourceFiles, data) {
      const fromWorker = sourceFiles?.some((s) => workers.has(normalize(s.fileName)));
      if (fromWorker && /\.d\.[cm]?ts(\.map)?$/.test(fileName)) return; // a worker module has no public types
      if (fileName.endsWith('.map')) text = chainMap(text, fileName, coreMaps);
      baseHost.writeFile(fileName, text, bom, onError, sourceFiles, data);
    },
  };
  // noCheck: the new program is only emitted, and emit asks the checker just what it needs (import elision,
  // declarations) instead of checking every file again; its diagnostics are the original program's (below).
  const next = tsi.createProgram({
    rootNames: [...program.getRootFileNames(), ...workers.keys()],
    options: { ...options, noCheck: true }, host: newHost, oldProgram: program,
    configFileParsingDiagnostics: program.getConfigFileParsingDiagnostics(),
  });
  // Builders (incremental builds) and noEmitOnError read the options back: they see the user's, so a type error
  // still counts and is recorded as one.
  next.getCompilerOptions = () => options;

  // Report the user's program as written (the generated code is tsfork's business), plus tsfork's diagnostics.
  // Files only the new program has (the runtime's .d.ts the generated imports pull in) report nothing.
  const original = (sf: ts.SourceFile | undefined) => (sf ? program.getSourceFile(sf.fileName) : undefined);
  const ownFor = (sf: ts.SourceFile | undefined) => sf ? own.get(normalize(sf.fileName)) ?? [] : [...own.values()].flat();
  const isWorker = (sf: ts.SourceFile | undefined) => !!sf && workers.has(normalize(sf.fileName));
  type PerFile = (sf: ts.SourceFile | undefined, ct?: ts.CancellationToken) => readonly ts.Diagnostic[];
  const route = (mine: PerFile | undefined, theirs: PerFile | undefined, addOwn: boolean): PerFile | undefined => {
    if (!mine || !theirs) return mine;
    return (sf, ct) => {
      if (isWorker(sf)) return [];
      if (sf && !original(sf)) return [];
      return addOwn ? [...theirs(original(sf), ct), ...ownFor(sf)] : theirs(original(sf), ct);
    };
  };
  // Builder programs (incremental builds) read the internal per-file methods instead of getSemanticDiagnostics.
  type Internal = Record<'getSyntacticDiagnostics' | 'getSemanticDiagnostics' | 'getDeclarationDiagnostics'
    | 'getBindAndCheckDiagnostics' | 'getProgramDiagnostics', PerFile | undefined>;
  const from = program as unknown as Internal;
  const into = next as unknown as Internal;
  const bind = (p: Internal, k: keyof Internal) => p[k]?.bind(p);
  into.getSyntacticDiagnostics = route(bind(into, 'getSyntacticDiagnostics'), bind(from, 'getSyntacticDiagnostics'), false);
  into.getSemanticDiagnostics = route(bind(into, 'getSemanticDiagnostics'), bind(from, 'getSemanticDiagnostics'), true);
  into.getDeclarationDiagnostics = route(bind(into, 'getDeclarationDiagnostics'), bind(from, 'getDeclarationDiagnostics'), false);
  into.getBindAndCheckDiagnostics = route(bind(into, 'getBindAndCheckDiagnostics'), bind(from, 'getBindAndCheckDiagnostics'), true);
  into.getProgramDiagnostics = route(bind(into, 'getProgramDiagnostics'), bind(from, 'getProgramDiagnostics'), false);
  next.getGlobalDiagnostics = (ct) => program.getGlobalDiagnostics(ct);
  next.getOptionsDiagnostics = (ct) => program.getOptionsDiagnostics(ct);
  return next;
}
