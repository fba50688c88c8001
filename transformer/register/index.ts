// `node --import tsfork/register app.ts`: runs TypeScript or JavaScript with the tsfork transform applied to
// every project module as it loads. Worker threads inherit this --import, which keeps source maps on there too.
import { register } from 'node:module';
import { installRequireHook } from './require-hook.js';

process.setSourceMapsEnabled(true);
register('./hooks.js', import.meta.url);
installRequireHook();
