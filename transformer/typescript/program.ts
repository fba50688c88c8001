// The ts-patch program transformer: every source file goes through the core; the rewritten texts and the generated
// worker modules become a new Program (served by a wrapping host), so tsc emits them with the user's own settings
// (module format, rootDir/outDir, source maps). Type errors are those of the user's code as written (the original
// program); tsfork's own diagnostics are added to them, and an error fails the build like a type error.
import type ts from 'typescript';
import { scanMarkers, transformModule, type MarkedFunction, type SourceMap } from '../core/index.js';
import { checkCloneableIn } from './cloneable.js';
import { chainMap, normalize } from './source-maps.js';

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

  const markersOf = (file: string): MarkedFunction[] => {
    let m = scanned.get(file);
    if (!m) {
      const sf = program.getSourceFile(file);
      m = sf && isProjectFile(program, sf) ? scanMarkers(sf.text, file) : [];
      scanned.set(file, m);
    }
    return m;
  };

  for (const sf of program.getSourceFiles()) {
    if (!isProjectFile(program, sf)) continue;
    const markedImports = (specifier: string, importedName: string) => {
      const r = tsi.resolveModuleName(specifier, sf.fileName, options, baseHost).resolvedModule;
      if (!r || r.isExternalLibraryImport) return undefined;
      return markersOf(r.resolvedFileName).find((m) => m.exported && m.name === importedName);
    };
    const result = transformModule(sf.text, {
      fileName: sf.fileName,
      moduleFormat: moduleFormatOf(tsi, program, sf),
      markedImports,
      workerImportsFromWorkers: true,
      checkCloneable: checkCloneableIn(tsi, program, sf),
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
      if (text === undefined) return baseHost.getSourceFile(fileName, languageVersion, onError, shouldCreate);
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
  const next = tsi.createProgram({
    rootNames: [...program.getRootFileNames(), ...workers.keys()],
    options, host: newHost, configFileParsingDiagnostics: program.getConfigFileParsingDiagnostics(),
  });

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
