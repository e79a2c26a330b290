// `npm run build`, second step: the CLI users run, bundled by esbuild into dist/bundle/.
// Loading ~300 ES modules one by one (resolve, read, compile, link each) was most of the
// start-up; a few bundled chunks load in a fraction of that. The tsc output in dist/src
// stays what the unit and component tests import.
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCachedScript } from '../src/code-cache.js';
import { launcherLines } from '../src/node-flags.js';
import type { UiLibraries } from '../src/ui-libraries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Two levels under the root, like dist/src/: src/version.ts, in whichever chunk it lands, finds package.json at ../../. */
const BUNDLE_DIR = 'dist/bundle';
const ENTRY = 'src/cli.tsx';

/**
 * What each lazily loaded part must not pull in with its static imports. The entry: Ink
 * (through src/ui-libraries.ts; its is-in-ci reads CI once, at import, and must see the
 * variables cli.tsx hides while the picker loads) and everything else. The picker's first frame: what only sessions
 * (node-pty, @xterm/headless) or real accounts (execa) need.
 */
const LAZY: Record<string, string[]> = {
  'src/cli.tsx': ['src/ui-libraries.ts', 'node_modules/is-in-ci/', 'node_modules/@xterm/', 'node_modules/execa/', 'node-pty'],
  'src/picker.tsx': ['node_modules/@xterm/', 'node_modules/execa/', 'node-pty'],
  // A token from the environment or ~/.netrc lists through the API without the CLI's modules.
  'src/heroku/api-source.ts': ['node_modules/execa/'],
  'src/heroku/credentials.ts': ['node_modules/execa/'],
};

/**
 * yoga-layout (Ink's layout engine) ships its wasm as a base64 data: URL, and its Emscripten
 * loader reads it through `fetch` when fetch exists: in Node that loads undici (~30 ms) to
 * decode a string. Without fetch it decodes with atob and a loop over 70 KB of characters
 * (~15 ms, cold). Buffer decodes it in well under a millisecond.
 */
const YOGA_LOADER = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const YOGA_PATCHES: Array<[string, string]> = [
  ['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return w||true?'],
  [
    'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
    'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
  ],
  // Compiled and instantiated at once, so that the module is ready when loadYoga returns
  // (Node compiles wasm of any size synchronously): the UI libraries script, CommonJS, can
  // have no top-level await.
  ['if(h.instantiateWasm)try{return h.instantiateWasm(d,\na)}', 'try{return a(new WebAssembly.Instance(new WebAssembly.Module(wa()),d)),{}}'],
  // Only used to find files beside the loader, which it has none of (and CommonJS has no import.meta).
  ['var _scriptDir = import.meta.url;', 'var _scriptDir = undefined;'],
];
const yogaWasmLoading: Plugin = {
  name: 'yoga-wasm-loading',
  setup(b) {
    b.onLoad({ filter: YOGA_LOADER }, async (args) => {
      let code = await readFile(args.path, 'utf8');
      for (const [from, to] of YOGA_PATCHES) {
        // A yoga-layout update that changed its loader fails the build here, not silently at run time.
        if (code.split(from).length !== 2) throw new Error(`${args.path}: its wasm loader changed; review the yoga-wasm-loading plugin`);
        code = code.replace(from, to);
      }
      return { contents: code, loader: 'js' };
    });
  },
};

/**
 * The UI libraries script is CommonJS (V8 caches the code of scripts, not of ES modules on
 * Node 20), which has no top-level await. yoga-layout awaits its wasm (made synchronous
 * above); Ink awaits its devtools and its package.json, both only when DEV=true (its
 * devtools need react-devtools-core, which dynotty does not install).
 */
const SYNC_TOP_LEVEL: Record<string, Array<[string, string]>> = {
  [path.join('yoga-layout', 'dist', 'src', 'index.js')]: [
    [
      'const Yoga = wrapAssembly(await loadYoga());',
      'const loaded = {};\nloadYoga(loaded);\nif (loaded.asm === undefined) throw new Error("yoga-layout did not load synchronously");\nconst Yoga = wrapAssembly(loaded);',
    ],
  ],
  [path.join('ink', 'build', 'reconciler.js')]: [
    ["        await import('./devtools.js');", "        throw Object.assign(new Error('no devtools in the bundle'), { code: 'ERR_MODULE_NOT_FOUND' });"],
    ['    ? await loadPackageJson()', '    ? { name: undefined, version: undefined }'],
  ],
};
const syncTopLevel: Plugin = {
  name: 'sync-top-level',
  setup(b) {
    b.onLoad({ filter: /(yoga-layout[\\/]dist[\\/]src[\\/]index|ink[\\/]build[\\/]reconciler)\.js$/ }, async (args) => {
      const name = path.relative(path.join(root, 'node_modules'), args.path);
      const patches = SYNC_TOP_LEVEL[name];
      if (patches === undefined) return undefined;
      let code = await readFile(args.path, 'utf8');
      for (const [from, to] of patches) {
        if (code.split(from).length !== 2) throw new Error(`${args.path}: its top-level await changed; review the sync-top-level plugin`);
        code = code.replace(from, to);
      }
      return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * string-width's RGI emoji regex costs ~13 ms to build and ~20-50 ms on its first match,
 * and the picker's first frame draws ✔: src/text/rgi-emoji.ts gives the same answers
 * (tested against the regex for every code point) without building it for single code
 * points that cannot be emoji. Only string-width 8 (the one Ink and dynotty use) is changed.
 */
const STRING_WIDTH = /node_modules[\\/]string-width[\\/]index\.js$/;
const RGI_LINE = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const RGI_EMOJI_MODULE = path.join(root, 'src/text/rgi-emoji.ts');
const stringWidthRgiEmoji: Plugin = {
  name: 'string-width-rgi-emoji',
  setup(b) {
    b.onLoad({ filter: STRING_WIDTH }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (path.relative(root, args.path) !== path.join('node_modules', 'string-width', 'index.js')) return undefined;
      const uses = code.split('rgiEmojiRegex').length - 1;
      if (!code.includes(RGI_LINE) || uses !== 2 || !code.includes('rgiEmojiRegex.test(')) {
        throw new Error(`${args.path}: its RGI emoji test changed; review the string-width-rgi-emoji plugin`);
      }
      // An import may stand anywhere at a module's top level (it is hoisted).
      return { contents: code.replace(RGI_LINE, `import { rgiEmoji as rgiEmojiRegex } from ${JSON.stringify(RGI_EMOJI_MODULE)};`), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * Ink's Output draws each frame by turning every line into styled characters and every row
 * back into a string (@alcalzone/ansi-tokenize), with caches that live for one frame only:
 * with 10,000 dynos that was half of the CPU of a key press. Here its caches live across
 * frames (bounded: src/ink-speedups/bounded-cache.ts), its blank cells are one shared
 * object, and it uses src/ink-speedups/styled-chars.ts, which gives the same strings
 * (tested against the package) with each style change computed once.
 */
const INK_CACHE_LIMIT = 4096;
const INK_OUTPUT_PATCHES: Array<[string, string]> = [
  [
    "import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
    `import { tokenize } from '@alcalzone/ansi-tokenize';\nimport { styledCharsFromTokens, styledCharsToString } from ${JSON.stringify(path.join(root, 'src/ink-speedups/styled-chars.ts'))};\nimport { BoundedCache } from ${JSON.stringify(path.join(root, 'src/ink-speedups/bounded-cache.ts'))};`,
  ],
  ['    widths = new Map();', `    widths = new BoundedCache(${INK_CACHE_LIMIT});`],
  ['    blockWidths = new Map();', `    blockWidths = new BoundedCache(${INK_CACHE_LIMIT});`],
  ['    styledChars = new Map();', `    styledChars = new BoundedCache(${INK_CACHE_LIMIT});`],
  ['    caches = new OutputCaches();', '    caches = SHARED_CACHES;'],
  [
    'export default class Output {',
    "const SHARED_CACHES = new OutputCaches();\nconst BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\nexport default class Output {",
  ],
  [
    `                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
    '                row.push(BLANK_CELL);',
  ],
];
/**
 * And the width of every text node, measured again each frame (render-node-to-output.js:
 * now through src/ink-speedups/widest-line.ts's bounded cache) or kept forever (measure-text.js:
 * now bounded).
 */
const WIDEST_LINE = `import { widestLine } from ${JSON.stringify(path.join(root, 'src/ink-speedups/widest-line.ts'))};`;
const INK_WIDTH_PATCHES: Record<string, Array<[string, string]>> = {
  'render-node-to-output.js': [["import widestLine from 'widest-line';", WIDEST_LINE]],
  // It remembers its answers itself; only its memory is bounded.
  'measure-text.js': [
    ["import widestLine from 'widest-line';", `import widestLine from 'widest-line';\nimport { BoundedCache } from ${JSON.stringify(path.join(root, 'src/ink-speedups/bounded-cache.ts'))};`],
    ['const cache = new Map();', `const cache = new BoundedCache(${INK_CACHE_LIMIT});`],
  ],
};
/**
 * Ink's incremental rendering (only the lines that changed are written) goes back up one
 * line too few when the previous frame ended with a newline, as every frame does that
 * stays a line short of the terminal (so Ink does not clear the screen each frame): each
 * frame after the first was drawn a line low.
 */
const INK_INCREMENTAL_PATCHES: Record<string, Array<[string, string]>> = {
  'log-update.js': [
    [
      '            buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
      "            buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));",
    ],
  ],
};
const INK_PATCHES: Record<string, Array<[string, string]>> = { 'output.js': INK_OUTPUT_PATCHES, ...INK_WIDTH_PATCHES, ...INK_INCREMENTAL_PATCHES };
const INK_PATCHED = /node_modules[\\/]ink[\\/]build[\\/](output|render-node-to-output|measure-text|log-update)\.js$/;
const inkSpeedups: Plugin = {
  name: 'ink-speedups',
  setup(b) {
    b.onLoad({ filter: INK_PATCHED }, async (args) => {
      const name = path.basename(args.path);
      const patches = INK_PATCHES[name];
      if (patches === undefined || path.relative(root, args.path) !== path.join('node_modules', 'ink', 'build', name)) return undefined;
      let code = await readFile(args.path, 'utf8');
      for (const [from, to] of patches) {
        // An Ink update that changed these files fails the build here, not silently at run time.
        if (code.split(from).length !== 2) throw new Error(`${args.path}: it changed; review the ink-speedups plugin`);
        code = code.replace(from, to);
      }
      return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** What both builds share: production React, the same minifying, maps and license notices. */
const COMMON = {
  absWorkingDir: root,
  outdir: BUNDLE_DIR,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // A native addon: loaded from node_modules at run time (and only when a session starts).
  // react-devtools-core: only Ink's DEV=true path imports it, and it is not installed.
  external: ['node-pty', 'react-devtools-core'],
  // Stack traces map back to the TypeScript sources (cli.tsx turns this on for DEBUG=dynotty).
  sourcemap: 'linked',
  sourcesContent: false,
  // Bundled packages' license notices, beside each chunk (*.LEGAL.txt).
  legalComments: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  // cli.tsx sets NODE_ENV before loading React for the unbundled dist/src build; here React's
  // build is already chosen, and the assignment (kept as written) only does that same thing.
  logOverride: { 'assign-to-define': 'silent' },
} satisfies BuildOptions;
/** React, Ink and friends pick their production code at build time; dead branches go. */
const PRODUCTION = { 'process.env.NODE_ENV': '"production"' };

/** What the UI libraries script (src/ui-libraries.ts) holds, by the name the chunks import it as. */
const UI_LIBRARIES: Record<string, keyof UiLibraries> = { ink: 'ink', react: 'react', 'react/jsx-runtime': 'jsxRuntime' };
/** Packages that must be in the UI libraries script only: a second copy of React in a chunk would break hooks. */
const UI_ONLY = ['node_modules/ink/', 'node_modules/react/', 'node_modules/react-reconciler/', 'node_modules/yoga-layout/', 'node_modules/scheduler/'];
/** What the script must not pull in: what the first frame does not need, and our own modules beyond the patches to Ink. */
const NOT_IN_UI = ['node_modules/@xterm/', 'node_modules/execa/', 'node-pty', 'src/', 'components/'];
const OURS_IN_UI = ['src/ui-libraries-script.ts', 'src/ink-speedups/', 'src/text/rgi-emoji.ts'];

/**
 * Ink and React as one CommonJS-style script (a function expression; src/code-cache.ts runs
 * it), named by a hash of its content. Resolves with its file name.
 */
async function buildUiLibraries(): Promise<string> {
  const result = await build({
    ...COMMON,
    entryPoints: { 'ui-libraries': 'src/ui-libraries-script.ts' },
    entryNames: '[name]-[hash]',
    format: 'cjs',
    define: PRODUCTION,
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
    plugins: [yogaWasmLoading, syncTopLevel, stringWidthRgiEmoji, inkSpeedups],
  });
  const [file, out] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint !== undefined) ?? [];
  if (file === undefined || out === undefined) throw new Error('no output for the UI libraries script');
  const stray = Object.keys(out.inputs).filter((i) => NOT_IN_UI.some((p) => i.startsWith(p)) && !OURS_IN_UI.some((p) => i.startsWith(p)));
  if (stray.length > 0) throw new Error(`the UI libraries script takes in ${stray.slice(0, 5).join(', ')}; the first frame needs none of it`);
  await writeFile(path.join(root, BUNDLE_DIR, 'ui-libraries.meta.json'), JSON.stringify(result.metafile));
  return path.basename(file);
}

/**
 * In the CLI's chunks, `import { Box } from 'ink'` (and React's imports) take the export of
 * the same name from the UI libraries script; the names are read from the script itself,
 * which also proves at build time that it runs.
 */
function uiLibrariesFromScript(scriptName: string): Plugin {
  const loaded = runCachedScript<UiLibraries>(path.join(root, BUNDLE_DIR, scriptName), null).exports;
  return {
    name: 'ui-libraries-from-script',
    setup(b) {
      b.onResolve({ filter: /^(ink|react|react\/jsx-runtime)$/ }, (args) => ({ path: args.path, namespace: 'ui-libraries' }));
      b.onLoad({ filter: /.*/, namespace: 'ui-libraries' }, (args) => {
        const key = UI_LIBRARIES[args.path];
        if (key === undefined) throw new Error(`${args.path} is not in the UI libraries script`);
        const names = Object.keys(loaded[key]).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        const lines = [
          `import { uiLibraries } from ${JSON.stringify(path.join(root, 'src/ui-libraries.ts'))};`,
          `const m = uiLibraries().${key};`,
          ...names.map((n) => `export const ${n} = m.${n};`),
          ...('default' in loaded[key] ? ['export default m.default;'] : []),
        ];
        return { contents: lines.join('\n'), loader: 'js', resolveDir: root };
      });
    },
  };
}

async function main(): Promise<void> {
  const uiLibrariesScript = await buildUiLibraries();
  const result = await build({
    ...COMMON,
    entryPoints: { cli: ENTRY },
    // Keeps every `import()` a chunk of its own that loads when first asked for.
    splitting: true,
    // Beside the entry, for the same reason as BUNDLE_DIR's depth.
    chunkNames: '[name]-[hash]',
    format: 'esm',
    define: { ...PRODUCTION, DYNOTTY_UI_LIBRARIES: JSON.stringify(`./${uiLibrariesScript}`) },
    // Bundled CommonJS dependencies call require() for Node's builtins.
    banner: { js: "import { createRequire as __dynottyCreateRequire } from 'node:module';\nconst require = __dynottyCreateRequire(import.meta.url);" },
    plugins: [uiLibrariesFromScript(uiLibrariesScript), stringWidthRgiEmoji],
  });
  for (const [entry, banned] of Object.entries(LAZY)) checkStaysLazy(result.metafile, entry, banned);
  const copies = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs)).filter((i) => UI_ONLY.some((prefix) => i.startsWith(prefix)));
  if (copies.length > 0) throw new Error(`the CLI's chunks take in ${copies.slice(0, 5).join(', ')}: they belong to the UI libraries script only`);
  await writeLauncher(path.join(root, BUNDLE_DIR, 'cli.js'));
  // What went into which chunk, for whoever profiles start-up next (esbuild's analyzer reads it).
  await writeFile(path.join(root, BUNDLE_DIR, 'meta.json'), JSON.stringify(result.metafile));
}

/** The entry's `#!/usr/bin/env node` (kept from cli.tsx) becomes the launcher that passes NODE_FLAGS. */
async function writeLauncher(file: string): Promise<void> {
  const code = await readFile(file, 'utf8');
  const shebang = '#!/usr/bin/env node\n';
  if (!code.startsWith(shebang)) throw new Error(`${file} does not start with ${JSON.stringify(shebang)}`);
  await writeFile(file, launcherLines() + code.slice(shebang.length));
}

/** Fails the build when `entry`'s output loads a module in `banned` through static imports: it must stay behind import(). */
function checkStaysLazy(meta: Metafile, entry: string, banned: string[]): void {
  const start = Object.entries(meta.outputs).find(([, out]) => out.entryPoint === entry);
  if (start === undefined) throw new Error(`no output for ${entry}`);
  const seen = new Set<string>();
  const pending = [start[0]];
  const loaded: string[] = [];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const out = meta.outputs[file];
    if (out === undefined) continue;
    loaded.push(...Object.keys(out.inputs));
    for (const imp of out.imports) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) loaded.push(imp.path);
      else pending.push(imp.path);
    }
  }
  const eager = loaded.filter((i) => banned.some((prefix) => i.startsWith(prefix)));
  if (eager.length > 0) throw new Error(`${entry} loads ${eager.slice(0, 5).join(', ')} up front; keep them behind import()`);
}

await main();
