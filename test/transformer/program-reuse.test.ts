// The program transformer's build cost (README "Build cost"): a program with no marker-like tag comes back as it
// is; otherwise the new program reuses every unchanged SourceFile and is emitted without a second full check,
// while the diagnostics, the output and the source maps are those of a full build.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transformProgram } from '../../dist/transformer/typescript/program.js';

const tmp = resolve(import.meta.dirname, '../.tmp/program-reuse');

function programOf(name: string, files: Record<string, string>, extra: ts.CompilerOptions = {}) {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', f), text);
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, rootDir: join(dir, 'src'), outDir: join(dir, 'out'), types: [], skipLibCheck: true, sourceMap: true, ...extra,
  };
  const host = ts.createCompilerHost(options);
  const rootNames = Object.keys(files).map((f) => join(dir, 'src', f));
  return { dir, host, program: ts.createProgram({ rootNames, options, host }) };
}

const plain = (i: number) => `export interface Item${i} { id: number; name: string }\nexport const make${i} = (id: number): Item${i} => ({ id, name: 'n' + id });\n`;

describe('program transformer build cost', () => {
  it('no marker-like tag in any file: the same program, untouched', () => {
    const { program, host } = programOf('none', {
      'a.ts': plain(1), 'b.ts': `import { make1 } from './a.js';\n/** @param x the id @returns an item */\nexport const b = (x: number) => make1(x);\nexport const s = 'cpuBoundFork';\n`,
    });
    expect(transformProgram(ts, program, host)).toBe(program);
  });

  it('a marked function: unchanged files are the original SourceFiles, the rewritten ones are new', () => {
    const { program, host } = programOf('reuse', {
      'a.ts': plain(1),
      'work.ts': `/** @cpuBoundFork */\nexport function square(x: number): number { return x * x; }\n`,
      'main.ts': `import { make1 } from './a.js';\nimport { square } from './work.js';\nconsole.log(make1(1), square(3));\n`,
    });
    const next = transformProgram(ts, program, host);
    expect(next).not.toBe(program);
    const at = (p: ts.Program, f: string) => p.getSourceFiles().find((s) => s.fileName.endsWith(`/src/${f}`));
    expect(at(next, 'a.ts')).toBe(at(program, 'a.ts'));
    expect(at(next, 'work.ts')).not.toBe(at(program, 'work.ts'));
    // main.ts has no tag of its own but calls a marked import: it is rewritten too.
    expect(at(next, 'main.ts')!.text).toContain('__tsfork.fork(');
    expect(at(next, 'work.tsfork-worker.ts')).toBeDefined();
  });

  it('type errors are reported once, at the line of the code as written, and the source map points at it', () => {
    const { program, host, dir } = programOf('errors', {
      'a.ts': `export const n: number = 'not a number';\n`,
      'work.ts': `/** @cpuBoundFork */\nexport function square(x: number): number { return x * x; }\nconst bad: string = square(2);\nconsole.log(bad);\n`,
    });
    const next = transformProgram(ts, program, host);
    const found = ts.getPreEmitDiagnostics(next).map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return `${d.file!.fileName.replace(/^.*\//, '')}:${line + 1}:${character + 1} TS${d.code}`;
    });
    expect(found.sort()).toEqual(['a.ts:1:14 TS2322', 'work.ts:3:7 TS2322']);
    const emitted = next.emit();
    expect(emitted.emitSkipped).toBe(false);
    const map = JSON.parse(readFileSync(join(dir, 'out', 'work.js.map'), 'utf8')) as { sources: string[]; mappings: string };
    expect(map.sources).toEqual(['../src/work.ts']);
    expect(readFileSync(join(dir, 'out', 'work.js'), 'utf8')).toContain('__tsfork.hoist(square');
  });

  it('noEmitOnError still blocks the emit on a type error of the original code', () => {
    const { program, host, dir } = programOf('no-emit-on-error', {
      'work.ts': `/** @cpuBoundFork */\nexport function square(x: number): number { return x * x; }\nconst bad: string = square(2);\nconsole.log(bad);\n`,
    }, { noEmitOnError: true });
    const next = transformProgram(ts, program, host);
    expect(next.getCompilerOptions().noCheck).toBeUndefined();
    expect(next.emit().emitSkipped).toBe(true);
    expect(() => readFileSync(join(dir, 'out', 'work.js'))).toThrow();
  });
});
