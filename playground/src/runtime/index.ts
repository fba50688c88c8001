// The playground's browser runtime: what `import ... from 'tsfork'` means inside the page's workers.
// Same names and signatures as the Node runtime's generated-code API (docs/internals.md).
export { META, cpuBound, ioBound, unsafe, hoist } from './markers';
export type { FunctionMeta, FunctionRef, MarkerKind } from './markers';
export { fork, join, cpuBoundFork, ioBoundFork, joinFirst, awaitFirst, joinLoop, joinLoopAsync, logPush, logStore } from './fork';
export { Lazy, isLazy } from './lazy';
