// Bundles the extension, its scan worker, the headless command and the report page into dist/.
// `--production` minifies and drops source maps (used by `npm run package`); `--watch` rebuilds on change.
// WORKSPACE_USAGE_KEEP_NAMES=1 keeps function names in a production build, for readable CPU
// profiles (`npx tsx bench/editor.ts --profile`); the code is otherwise the same.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifyWhitespace: production,
  minifySyntax: production,
  minifyIdentifiers: production && process.env.WORKSPACE_USAGE_KEEP_NAMES !== '1',
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
  // jsonc-parser's UMD main hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/** run.ts's `import('./serve/serveCommand')` left to run time, as dist/cliServe.js beside dist/cli.js. */
const serveApart = {
  name: 'serve-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/serve\/serveCommand$/ }, () => ({ path: './cliServe.js', external: true }));
  },
};

const builds = [
  // The extension: `vscode` is provided by the editor at run time.
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The full-scan worker runs off the extension host's main thread (and the CLI's).
  { ...common, entryPoints: { scanWorker: 'src/core/disk/scanWorker.ts' }, outdir: 'dist' },
  // The extension's full scan in a child process (its memory goes back to the system when it exits).
  { ...common, entryPoints: { scanProcess: 'src/cli/scanProcess.ts' }, outdir: 'dist' },
  // The headless command. `serve` is a bundle of its own (cliServe.js, required when run), so
  // `usage` and `check` do not compile its HTTP server, metrics, watcher and history modules
  // (about 155 KB of 365) at every start.
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [serveApart],
  },
  { ...common, entryPoints: { cliServe: 'src/cli/serve/serveCommand.ts' }, outdir: 'dist' },
  // The Usage Report page's script, run in the webview: a browser bundle (a Node built-in
  // reached from it fails the build), loaded by reportPanel.ts from dist/webview/.
  {
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    mainFields: ['browser', 'module', 'main'],
    entryPoints: { report: 'src/webview/report.ts' },
    outdir: 'dist/webview',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
