// Architecture invariant: src/core never imports the editor API (or reads files itself), so the same
// analysis runs in the CLI, in tests and behind every editor feature.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const coreDir = join(root, 'src', 'core');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Module specifiers imported or required by a source text (static, dynamic, re-exports). */
export function importedModules(source: string): string[] {
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
}

const FORBIDDEN = new Set(['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process']);

describe('core boundary', () => {
  it('finds the modules a file imports, in every import form', () => {
    const sample = `import * as vscode from 'vscode';\nimport type { X } from "./x";\nexport { y } from './y';\nconst fs = require('fs');\nawait import('node:child_process');`;
    expect(importedModules(sample)).toEqual(['vscode', './x', './y', 'fs', 'node:child_process']);
  });

  it('src/core imports neither vscode nor the file system', () => {
    const files = tsFiles(coreDir);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((f) =>
      importedModules(readFileSync(f, 'utf8'))
        .filter((m) => FORBIDDEN.has(m))
        .map((m) => `${relative(root, f)} imports '${m}'`),
    );
    expect(offenders).toEqual([]);
  });
});
