// Runs every rule over real code (Debian's torch and torchvision sources and the repo's examples) and
// compares the findings with a reviewed list: a new finding is a false positive to fix in the rule (not
// to list), and a listed finding that disappears is a lost true positive. A corpus sweep (test/sweeps.ts): with
// torch or torchvision missing it fails with the files it could not read.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/core/checks';
import { CORPUS_SWEEPS } from '../../sweeps';

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const REPO = join(__dirname, '..', '..', '..');
const ROOTS = [
  { base: DIST_PACKAGES, dir: join(DIST_PACKAGES, 'torch') },
  { base: DIST_PACKAGES, dir: join(DIST_PACKAGES, 'torchvision') },
  { base: REPO, dir: join(REPO, 'examples') },
];

interface Expected {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly note: string;
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') out.push(...pythonFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(path);
  }
  return out.sort();
}

describe('checks over the real corpus', () => {
  it.skipIf(!CORPUS_SWEEPS)('finds exactly the reviewed findings in torch, torchvision and examples/', () => {
    const expected = JSON.parse(readFileSync(join(__dirname, 'corpus-expected.json'), 'utf8')) as Expected[];
    expect(expected.every((e) => e.note.length > 20)).toBe(true);
    const found: string[] = [];
    const problems: string[] = [];
    let files = 0;
    for (const root of ROOTS) {
      for (const path of pythonFiles(root.dir)) {
        files++;
        const result = runChecks({ path, text: readFileSync(path, 'utf8') });
        const file = relative(root.base, path);
        for (const f of result.findings) found.push(`${file}:${f.range.start.line + 1} ${f.rule}`);
        for (const p of result.problems) problems.push(`${file}: ${p.rule}: ${p.message}`);
      }
    }
    // The corpus is large: more than a thousand files are checked.
    expect(files).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
    expect(found.sort()).toEqual(expected.map((e) => `${e.file}:${e.line} ${e.rule}`).sort());
  });
});
