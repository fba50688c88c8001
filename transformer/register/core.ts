// The one analysis lives in transformer/core; this file only names the parts of its API the register
// front end uses, so the rest of the folder does not reach into core/ from many places.
export { transformModule, scanMarkers } from '../core/index.js';
export type TransformResult = ReturnType<typeof import('../core/index.js').transformModule>;
export type TransformOptions = Parameters<typeof import('../core/index.js').transformModule>[1];
