// `node --import tsfork/register app.ts`: runs TypeScript or JavaScript with the tsfork transform applied to
// every project module as it loads.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { installRequireHook } from './require-hook.js';

process.setSourceMapsEnabled(true);
// Worker threads inherit this --import. They load worker modules from the cache, already JavaScript, so they
// need no hooks; registering them there would load TypeScript twice per worker (seconds of start-up).
if (isMainThread) {
  register('./hooks.js', import.meta.url);
  installRequireHook();
}
