// tsfork/transformer: the ts-patch program transformer. In tsconfig.json compilerOptions:
//   "plugins": [{ "transform": "tsfork/transformer", "transformProgram": true }]
// then build with tspc (or `tsfork build`, which needs no plugins entry).
import type ts from 'typescript';
import { transformProgram } from './program.js';

export { transformProgram };

export default function tsforkTransformer(
  program: ts.Program, host: ts.CompilerHost | undefined, _config: unknown, extras: { ts: typeof ts },
): ts.Program {
  return transformProgram(extras.ts, program, host);
}
