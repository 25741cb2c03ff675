// One build script for every bundle: the extension host (node, cjs, `vscode` external), the analysis
// worker process it starts (its bundle and the small entry that loads it with a code cache), the webview apps (browser, one entry per panel) and the CLI (its bundle and the
// small executable that loads it with a code cache).
// Usage: node esbuild.config.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

/** Webview entries: every folder under src/webview that has a main.ts becomes one browser bundle. */
function webviewEntries() {
  const root = 'src/webview';
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .filter((d) => existsSync(join(root, d.name, 'main.ts')))
    .map((d) => ({ in: join(root, d.name, 'main.ts'), out: d.name }));
}

/** KaTeX's stylesheet and fonts are served to webviews from media/katex via asWebviewUri. */
function copyKatexAssets() {
  const from = 'node_modules/katex/dist';
  const to = 'media/katex';
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'katex.min.css'), join(to, 'katex.min.css'));
  // Webviews run in Chromium, which loads the woff2 files first; the woff/ttf fallbacks are left out.
  cpSync(join(from, 'fonts'), join(to, 'fonts'), { recursive: true, filter: (src) => !/\.(woff|ttf)$/.test(src) });
}

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/worker/analysisWorker.ts'],
    outfile: 'dist/analysisWorker-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  // The worker process's entry: loads dist/analysisWorker-main.js with V8's code cache (src/worker/analysisWorkerLoader.ts).
  {
    ...common,
    entryPoints: ['src/worker/analysisWorkerLoader.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // mathjs is only its parser, and @lezer/python decodes its grammar on first use (see the files); the tests build
    // the CLI the same way (test/unit/cli/buildCli.ts).
    alias: {
      mathjs: fileURLToPath(new URL('./scripts/build/mathjsParser.mjs', import.meta.url)),
      '@lezer/python': fileURLToPath(new URL('./scripts/build/lezerPythonOnUse.mjs', import.meta.url)),
    },
  },
  // The executable: loads dist/cli-main.js with V8's code cache (src/cliLoader.ts).
  {
    ...common,
    entryPoints: ['src/cliLoader.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: webviewEntries(),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

copyKatexAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
