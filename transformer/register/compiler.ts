// The heavy part (the core and TypeScript), loaded only when a module is not in the compile cache.
// On Node's hooks thread it must come in through import(): require() of an ES module that imports others
// fails there on Node 22+ (no synchronous resolve through async hooks), so the hooks load it first and retry.
import { createRequire } from 'node:module';

type Core = typeof import('../core/index.js');
type Strip = typeof import('./strip-types.js');
interface Compiler { core: Core; strip: Strip }

let loaded: Compiler | undefined;
let importOnly = false;

/** Thrown on the hooks thread when the compiler is needed before loadCompiler() ran. */
export class CompilerNotLoaded extends Error {}

/** Called by the hooks: never require() the compiler on this thread. */
export function loadCompilerByImportOnly(): void {
  importOnly = true;
}

export async function loadCompiler(): Promise<void> {
  loaded ??= { core: await import('../core/index.js'), strip: await import('./strip-types.js') };
}

export function compiler(): Compiler {
  if (loaded) return loaded;
  if (importOnly) throw new CompilerNotLoaded('the tsfork compiler is not loaded yet');
  const requireHere = createRequire(import.meta.url);
  loaded = { core: requireHere('../core/index.js') as Core, strip: requireHere('./strip-types.js') as Strip };
  return loaded;
}
