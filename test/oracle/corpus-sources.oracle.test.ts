// No file of the real-world corpus, and no model source of torch, torchvision, torchaudio and torchtext as
// Debian installs them, makes the analysis report an error PyTorch would raise: `ml-notes check` over all of
// them (module-level code, the models it can build, shape comments) gives no "shape" finding. Lint findings
// (CC-xx) are the checks' own business and are not judged here. A corpus sweep (test/sweeps.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BUNDLE, REPO_ROOT, assertCliBuilt } from './lib/cli';
import { runProcess } from './lib/process';
import { DIST_PACKAGES, REAL_WORLD_DIR } from './lib/realWorld';
import { CORPUS_SWEEPS } from '../sweeps';

const SOURCES = [
  join(REAL_WORLD_DIR, 'debian-src'),
  ...['torch/nn', 'torchvision/models', 'torchvision/ops', 'torchaudio/models', 'torchtext/models', 'skorch/toy.py'].map((p) => join(DIST_PACKAGES, p)),
];

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

describe.skipIf(!CORPUS_SWEEPS)('corpus sources', () => {
  it('raise no error that PyTorch would not raise', async () => {
    assertCliBuilt();
    const run = await runProcess(process.execPath, [CLI_BUNDLE, 'check', ...SOURCES, '--format', 'json', '--fail-on', 'never'], { cwd: REPO_ROOT, timeoutMs: 600_000 });
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.status, run.stderr.slice(0, 2000)).toBe(0);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    // The sources were read: the checks find their usual lint findings in them.
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.rule === 'shape').map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([]);
  }, 700_000);
});
