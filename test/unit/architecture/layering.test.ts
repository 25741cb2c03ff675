// The layering invariants of ARCHITECTURE.md, each checked over every import of every file it covers
// (type-only imports included: they couple the code as much as any other). ARCHITECTURE.md states each
// invariant in the words of this table, and a test below keeps the two in step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, REPO_ROOT, sourceFiles, type Import } from './imports';

interface LayerRule {
  /** The invariant as ARCHITECTURE.md states it, word for word. */
  readonly invariant: string;
  /** The files it covers: repository paths, a folder ending in `/` covering everything under it. */
  readonly covers: readonly string[];
  readonly except?: readonly string[];
  /** Whether an import of a covered file breaks the invariant. */
  readonly forbids: (imported: Import, file: string) => boolean;
  /** A file and source that breaks it, so the check is shown to fail. */
  readonly violation: { readonly file: string; readonly source: string };
}

const under = (path: string, ...folders: string[]): boolean => folders.some((folder) => (folder.endsWith('/') ? path.startsWith(folder) : path === folder));
const importsFrom = (imported: Import, ...folders: string[]): boolean => imported.file !== undefined && under(imported.file, ...folders);

const DEV_DEPENDENCIES = new Set(Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies));

/** Each package's only home in src: the one module that wraps it for the rest of the code. */
const PACKAGE_HOMES: Readonly<Record<string, readonly string[]>> = {
  mathjs: ['src/core/dims/'],
  '@lezer/python': ['src/core/python/'],
  '@lezer/common': ['src/core/python/'],
  '@lezer/lr': ['src/core/python/'],
  re2js: ['src/core/interp/'],
  katex: ['src/webview/'],
  uplot: ['src/webview/'],
  vscode: ['src/vscode/', 'src/extension.ts'],
};

const BUILT_ON_THE_INTERPRETER = ['src/core/interp/', 'src/core/analysis/', 'src/core/checks/', 'src/core/editor/', 'src/core/checkDocument.ts', 'src/core/index.ts'];

export const LAYER_RULES: readonly LayerRule[] = [
  {
    invariant: '`src/core` imports nothing outside `src/core` (no `vscode`, `src/vscode`, `src/webview`, `src/worker` or `src/cli` code) and no Node built-in (`fs`, `path`, `child_process`, …): its callers pass it text and take plain data back.',
    covers: ['src/core/'],
    forbids: (imported) => (imported.file !== undefined && !imported.file.startsWith('src/core/')) || imported.builtin || imported.packageName === 'vscode',
    violation: { file: 'src/core/editor/view.ts', source: "import type { SimulationInit } from '../../webview/protocol';" },
  },
  {
    invariant: '`src/core/formulas` imports nothing: no other core module and no package. Every formula is plain arithmetic over `Arith<T>`.',
    covers: ['src/core/formulas/'],
    forbids: (imported) => !importsFrom(imported, 'src/core/formulas/'),
    violation: { file: 'src/core/formulas/conv.ts', source: "import type { Dim } from '../dims/dims';" },
  },
  {
    invariant: '`src/core/frameworks` (the catalogue) imports neither `interp` nor anything built on it (`analysis`, `checks`, `editor`): the interpreter reads the catalogue, never the reverse.',
    covers: ['src/core/frameworks/'],
    forbids: (imported) => importsFrom(imported, ...BUILT_ON_THE_INTERPRETER),
    violation: { file: 'src/core/frameworks/torch/index.ts', source: "import { interpret } from '../../interp/interpreter';" },
  },
  {
    invariant: '`src/core/python` (the parser) imports only `src/core/values` of the core: it knows nothing of what is done with the tree.',
    covers: ['src/core/python/'],
    forbids: (imported) => imported.file !== undefined && !importsFrom(imported, 'src/core/python/', 'src/core/values.ts'),
    violation: { file: 'src/core/python/parse.ts', source: "import type { Value } from '../interp/values';" },
  },
  {
    invariant: '`src/core/interp` imports none of the modules built on its trace: `analysis`, `checks`, `editor`, `calculators`, `notes`, `simulations`.',
    covers: ['src/core/interp/'],
    forbids: (imported) => importsFrom(imported, 'src/core/analysis/', 'src/core/checks/', 'src/core/editor/', 'src/core/calculators/', 'src/core/notes/', 'src/core/simulations/', 'src/core/checkDocument.ts', 'src/core/index.ts'),
    violation: { file: 'src/core/interp/interpreter.ts', source: "import { summarize } from '../analysis/summary';" },
  },
  {
    invariant: '`src/core/notes`, `src/core/calculators` and `src/core/simulations` import neither the interpreter nor the analyses built on it: they run on formulas alone, so the panels and calculators answer without analysing code.',
    covers: ['src/core/notes/', 'src/core/calculators/', 'src/core/simulations/'],
    forbids: (imported) => importsFrom(imported, ...BUILT_ON_THE_INTERPRETER),
    violation: { file: 'src/core/notes/view.ts', source: "import { analyzeDocument } from '../editor/documentAnalysis';" },
  },
  {
    invariant: 'Only `src/core/checkDocument.ts` and the editor-side code (`src/worker`, `src/vscode`) import `src/core/editor`: the analyses below it stay editor-neutral.',
    covers: ['src/core/'],
    except: ['src/core/editor/', 'src/core/checkDocument.ts'],
    forbids: (imported) => importsFrom(imported, 'src/core/editor/'),
    violation: { file: 'src/core/checks/models.ts', source: "import { renderView } from '../editor/view';" },
  },
  {
    invariant: 'A package has one home in `src`: `mathjs` in `src/core/dims`, `@lezer/*` in `src/core/python`, `re2js` in `src/core/interp`, `katex` and `uplot` in `src/webview`, `vscode` in `src/vscode` and `src/extension.ts`.',
    covers: ['src/'],
    forbids: (imported, file) => {
      const homes = imported.packageName === undefined ? undefined : PACKAGE_HOMES[imported.packageName];
      return homes !== undefined && !under(file, ...homes);
    },
    violation: { file: 'src/core/interp/values.ts', source: "import { parse } from 'mathjs';" },
  },
  {
    invariant: '`src/worker` imports nothing of `src/vscode` (nor `vscode`): it runs in a worker thread, where the editor API does not exist.',
    covers: ['src/worker/'],
    forbids: (imported) => importsFrom(imported, 'src/vscode/', 'src/extension.ts') || imported.packageName === 'vscode',
    violation: { file: 'src/worker/analysisWorker.ts', source: "import type { Log } from '../vscode/log';" },
  },
  {
    invariant: '`src/webview` imports no Node built-in and nothing of `src/vscode`, `src/worker` or `src/cli`: it runs in a panel’s browser frame.',
    covers: ['src/webview/'],
    forbids: (imported) => imported.builtin || importsFrom(imported, 'src/vscode/', 'src/worker/', 'src/cli/', 'src/cli.ts', 'src/extension.ts'),
    violation: { file: 'src/webview/summary/main.ts', source: "import { readFileSync } from 'node:fs';" },
  },
  {
    invariant: '`src/cli` imports nothing of `src/vscode`, `src/webview` or `src/worker`: the command line runs the core alone.',
    covers: ['src/cli/', 'src/cli.ts'],
    forbids: (imported) => importsFrom(imported, 'src/vscode/', 'src/webview/', 'src/worker/', 'src/extension.ts'),
    violation: { file: 'src/cli/commands/calc.ts', source: "import type { HostToDerivation } from '../../webview/protocol';" },
  },
  {
    invariant: 'The extension host (`src/vscode`, `src/extension.ts`) imports `src/webview` and `src/worker` only by `import type`, except `src/worker/client.ts`, the host’s side of the worker: the panels’ and the worker’s code runs from their own bundles.',
    covers: ['src/vscode/', 'src/extension.ts'],
    forbids: (imported) => !imported.typeOnly && importsFrom(imported, 'src/webview/', 'src/worker/') && imported.file !== 'src/worker/client.ts',
    violation: { file: 'src/vscode/analysisService.ts', source: "import { handle } from '../worker/analysisWorker';" },
  },
  {
    invariant: 'Shipped code (`src`) imports a devDependency only by `import type`: the bundles carry nothing but `dependencies`.',
    covers: ['src/'],
    forbids: (imported) => !imported.typeOnly && imported.packageName !== undefined && DEV_DEPENDENCIES.has(imported.packageName),
    violation: { file: 'src/core/notebook/nbformat.ts', source: "import { validate } from '@jupyterlab/nbformat';" },
  },
];

function coveredFiles(rule: LayerRule): string[] {
  const files = sourceFiles('src').filter((file) => under(file, ...rule.covers));
  return files.filter((file) => !under(file, ...(rule.except ?? [])));
}

function breaches(rule: LayerRule, file: string, source?: string): string[] {
  return importsOf(join(REPO_ROOT, file), source)
    .filter((imported) => rule.forbids(imported, file))
    .map((imported) => `${file}:${imported.line} imports '${imported.specifier}'`);
}

describe('layering', () => {
  it('reads every import form from the syntax tree, resolved, with type-only imports marked', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "import type { Arith } from '../formulas/arith';",
      "import { type Calculator, type InputSpec } from '../calculators';",
      "export { topics } from '../notes';",
      "const fs = require('fs');",
      "const later = import('node:child_process');",
      "type Tree = import('@lezer/common').Tree;",
      "// import { ignored } from 'in-a-comment';",
      "const text = \"import { ignored } from 'in-a-string'\";",
    ].join('\n');
    const found = importsOf(join(REPO_ROOT, 'src/core/analysis/sample.ts'), sample);
    expect(found.map(({ specifier, file, packageName, builtin, typeOnly }) => ({ specifier, file, packageName, builtin, typeOnly }))).toEqual([
      { specifier: 'vscode', file: undefined, packageName: 'vscode', builtin: false, typeOnly: false },
      { specifier: '../formulas/arith', file: 'src/core/formulas/arith.ts', packageName: undefined, builtin: false, typeOnly: true },
      { specifier: '../calculators', file: 'src/core/calculators/index.ts', packageName: undefined, builtin: false, typeOnly: true },
      { specifier: '../notes', file: 'src/core/notes/index.ts', packageName: undefined, builtin: false, typeOnly: false },
      { specifier: 'fs', file: undefined, packageName: 'fs', builtin: true, typeOnly: false },
      { specifier: 'node:child_process', file: undefined, packageName: 'child_process', builtin: true, typeOnly: false },
      { specifier: '@lezer/common', file: undefined, packageName: '@lezer/common', builtin: false, typeOnly: true },
    ]);
  });

  for (const rule of LAYER_RULES) {
    describe(rule.invariant, () => {
      it('holds for every file it covers', () => {
        const files = coveredFiles(rule);
        expect(files.length).toBeGreaterThan(0);
        expect(files.flatMap((file) => breaches(rule, file))).toEqual([]);
      });

      it('is broken by a sample import', () => {
        expect(breaches(rule, rule.violation.file, rule.violation.source)).toHaveLength(1);
      });
    });
  }

  it('ARCHITECTURE.md states every invariant of this test, word for word', () => {
    const architecture = readFileSync(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8');
    expect(LAYER_RULES.map((rule) => rule.invariant).filter((invariant) => !architecture.includes(invariant))).toEqual([]);
  });
});
