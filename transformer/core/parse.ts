// Parsing and name resolution without a Program from the caller: the core must also run in a browser,
// so the only dependency is the `typescript` package itself (no node: modules, no file system).
import ts from 'typescript';

/** The TypeScript the core was built with: a front end may pass its SourceFiles and checker only if it is the same. */
export const typescriptVersion: string = ts.version;

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function isTypeScriptFile(fileName: string): boolean {
  const k = scriptKindOf(fileName);
  return k === ts.ScriptKind.TS || k === ts.ScriptKind.TSX;
}

export function parse(source: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, /* setParentNodes */ true, scriptKindOf(fileName));
}

/**
 * A type checker over this one file only (no lib, no imports resolved): enough to tell which declaration an
 * identifier refers to. Imported names resolve to their import specifiers; globals resolve to nothing.
 */
export function checkerFor(sourceFile: ts.SourceFile): ts.TypeChecker {
  return programFor(sourceFile).getTypeChecker();
}

/** A program of this one file (see checkerFor); its syntactic diagnostics are the parser's errors. */
export function programFor(sourceFile: ts.SourceFile): ts.Program {
  const options: ts.CompilerOptions = {
    noLib: true, noResolve: true, allowJs: true, checkJs: false, types: [],
    target: ts.ScriptTarget.Latest, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve,
  };
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => '/__tsfork_no_lib.d.ts',
    writeFile: () => {},
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === sourceFile.fileName,
    readFile: (f) => (f === sourceFile.fileName ? sourceFile.text : undefined),
    directoryExists: () => true,
    getDirectories: () => [],
  };
  return ts.createProgram([sourceFile.fileName], options, host);
}
