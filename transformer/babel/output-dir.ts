// Where Babel writes a source file's output, so the worker modules land next to it. A Babel plugin is not told
// this: it comes from the plugin options, or from @babel/cli's own arguments when Babel runs from its CLI.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface OutputOptions {
  /** the directory outputs are written to (`babel <rootDir> -d <outDir>`) */
  outDir?: string;
  /** the source directory that outDir mirrors; default: the current directory */
  rootDir?: string;
}

/** The output directory of `sourcePath`, or undefined when nothing says where Babel writes it. */
export function outputDirOf(sourcePath: string, options: OutputOptions, argv = process.argv): string | undefined {
  if (options.outDir !== undefined) {
    const rootDir = resolve(options.rootDir ?? '.');
    return resolve(options.outDir, relative(rootDir, dirname(sourcePath)));
  }
  return babelCliOutputDir(sourcePath, argv);
}

function isBabelCli(argv: string[]): boolean {
  const script = argv[1] ?? '';
  return /[\\/]@babel[\\/]cli[\\/]/.test(script) || /[\\/]babel(\.js)?$/.test(script);
}

/** Reads `babel src -d dist [--relative]` / `babel a.ts -o out.js` the way @babel/cli's dir and file modes do. */
function babelCliOutputDir(sourcePath: string, argv: string[]): string | undefined {
  if (!isBabelCli(argv)) return undefined;
  const args = argv.slice(2);
  let outDir: string | undefined;
  let outFile: string | undefined;
  let relativeMode = false;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '-d' || flag === '--out-dir') outDir = value();
    else if (flag === '-o' || flag === '--out-file') outFile = value();
    else if (flag === '--relative') relativeMode = true;
    else if (flag.startsWith('-')) {
      // Options with a value: skip it, so it is not taken for an input path.
      if (inline !== undefined) continue;
      if (OPTIONS_WITH_VALUE.has(flag) || (OPTIONAL_VALUE.has(args[i + 1] ?? '') && OPTIONS_WITH_OPTIONAL_VALUE.has(flag))) i++;
    } else inputs.push(arg);
  }
  if (outFile !== undefined) return dirname(resolve(outFile));
  if (outDir === undefined) return undefined;
  for (const input of inputs) {
    const base = resolve(input);
    if (!existsSync(base)) continue;
    const isDir = statSync(base).isDirectory();
    if (isDir ? !sourcePath.startsWith(base + '/') : base !== sourcePath) continue;
    const root = isDir ? base : dirname(base);
    const rel = isDir ? relative(root, dirname(sourcePath)) : '';
    return relativeMode ? join(root, outDir, rel) : resolve(outDir, rel);
  }
  return undefined;
}

const OPTIONS_WITH_VALUE = new Set([
  '-f', '--filename', '--presets', '--plugins', '--config-file', '--env-name', '--root-mode', '--source-type',
  '--ignore', '--only', '--extensions', '-x', '--out-file-extension', '--source-map-target', '--source-file-name',
  '--source-root', '--module-root', '--module-id', '--aux-comment-before', '--aux-comment-after',
]);
const OPTIONS_WITH_OPTIONAL_VALUE = new Set(['-s', '--source-maps', '--compact']);
const OPTIONAL_VALUE = new Set(['true', 'false', 'inline', 'both', 'auto']);
