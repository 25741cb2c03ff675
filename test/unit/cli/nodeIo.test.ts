// The CLI's reads of imported files: each candidate path is read once per run and set of allowed folders,
// and a file one importer may not read is still refused to it after another importer read it.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../../../src/cli/nodeIo';

const root = mkdtempSync(join(tmpdir(), 'ml-notes-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const [project, other] = [join(root, 'project'), join(root, 'other')];
mkdirSync(join(project, 'pkg'), { recursive: true });
mkdirSync(other, { recursive: true });
writeFileSync(join(project, 'pkg', 'layers.py'), 'WIDTH = 4\n');
writeFileSync(join(project, 'main.py'), 'from pkg.layers import WIDTH\n');
writeFileSync(join(other, 'main.py'), 'x = 1\n');

describe('reading imports in one run', () => {
  it('gives the same answers when asked again, for each importer under its own allowed folders', () => {
    // Imports may come from the working directory or the importer's folder: `other` is neither for the project.
    const io = nodeIo(other);
    const layers = join(project, 'pkg', 'layers.py');
    const fromProject = join(project, 'main.py');
    const fromOther = join(other, 'main.py');
    for (let round = 0; round < 2; round++) {
      expect(io.readImport!(layers, fromProject)).toEqual({ text: 'WIDTH = 4\n' });
      expect(io.readImport!(layers, fromOther)).toEqual({ error: 'outside the allowed folders' });
      expect(io.readImport!(join(project, 'pkg', 'missing.py'), fromProject)).toBeUndefined();
    }
  });
});
