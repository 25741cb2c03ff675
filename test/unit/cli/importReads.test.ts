// The CLI reads an import candidate once per set of allowed folders in a run (each check unit of a file and each
// file of a folder ask for the same ones), and the answer still depends on the importer: a file outside the
// folders an importer may read stays refused for it while another importer reads it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../../../src/cli/nodeIo';

const root = mkdtempSync(join(tmpdir(), 'ml-notes-imports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nodeIo import reads', () => {
  const cwd = join(root, 'work');
  const project = join(root, 'project');
  const outside = join(root, 'elsewhere');
  for (const d of [cwd, project, outside]) mkdirSync(d, { recursive: true });
  const helper = join(project, 'helpers.py');
  const foreign = join(outside, 'foreign.py');
  writeFileSync(helper, 'def f():\n    return 1\n');
  writeFileSync(foreign, 'X = 2\n');

  it('answers a repeated read as the first one, for each importer', () => {
    const io = nodeIo(cwd);
    const fromProject = join(project, 'train.py');
    const fromOutside = join(outside, 'main.py');
    expect(io.readImport!(helper, fromProject)).toEqual({ text: 'def f():\n    return 1\n' });
    expect(io.readImport!(helper, fromProject)).toEqual({ text: 'def f():\n    return 1\n' });
    // Outside the project's folders for an importer in the project; inside for one beside it.
    expect(io.readImport!(foreign, fromProject)).toEqual({ error: 'outside the allowed folders' });
    expect(io.readImport!(foreign, fromOutside)).toEqual({ text: 'X = 2\n' });
    expect(io.readImport!(foreign, fromProject)).toEqual({ error: 'outside the allowed folders' });
    expect(io.readImport!(join(project, 'missing.py'), fromProject)).toBeUndefined();
  });

  it('reads the disk once per importing folder in a run (one snapshot of the code)', () => {
    const io = nodeIo(cwd);
    const fromProject = join(project, 'train.py');
    const first = io.readImport!(helper, fromProject);
    writeFileSync(helper, 'def f():\n    return 3\n');
    // The run goes on with what it read (a check run is one snapshot of the code); a new run reads the change.
    expect(io.readImport!(helper, join(project, 'eval.py'))).toEqual(first);
    expect(nodeIo(cwd).readImport!(helper, fromProject)).toEqual({ text: 'def f():\n    return 3\n' });
  });
});
