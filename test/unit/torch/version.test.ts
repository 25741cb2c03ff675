// The user's PyTorch release as a catalogue input: entries and arguments declare since/until, behaviour
// changes are named features, and the CLI reads the release from --torch-version or the environment.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import type { ModelSummary } from '../../../src/core/index';
import { isAvailable, parseTorchVersion, torchVersionFromVersionPy } from '../../../src/core/frameworks/torch/version';
import { findInstalledTorchVersion } from '../../../src/core/frameworks/torch/installedVersion';
import { runSummary } from '../../../src/cli/commands/summary';
import type { CliIo } from '../../../src/cli/types';
import { HEADER } from '../interp/helpers';

function summaryAt(version: string, text: string, inputs: string[]): ModelSummary {
  const result = summarizeModel({ path: '/ws/model.py', text: HEADER + text, inputs, torchVersion: parseTorchVersion(version)! });
  if ('error' in result) throw new Error(result.error);
  return result;
}

// GPT-style code probes for the fused attention and falls back to the explicit softmax(QKᵀ)V.
const PROBE = `
class Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.flash = hasattr(torch.nn.functional, 'scaled_dot_product_attention')
        self.out = nn.Linear(16, 32 if self.flash else 8)

    def forward(self, q):
        if self.flash:
            y = F.scaled_dot_product_attention(q, q, q, is_causal=True)
        else:
            y = F.softmax(q @ q.transpose(-2, -1), dim=-1) @ q
        return self.out(y)
`;

describe('version parsing', () => {
  it('reads releases with local and pre-release suffixes', () => {
    expect(parseTorchVersion('2.1.0+cu118')).toEqual({ major: 2, minor: 1, patch: 0 });
    expect(parseTorchVersion('2.6.0a0+git1eba9b3')).toEqual({ major: 2, minor: 6, patch: 0 });
    expect(parseTorchVersion('1.13')).toEqual({ major: 1, minor: 13, patch: 0 });
    expect(parseTorchVersion('latest')).toBeUndefined();
  });
  it("reads Debian's torch/version.py as installed here and a pip wheel's", () => {
    // /usr/lib/python3/dist-packages/torch/version.py of python3-torch 1.13.1+dfsg-4, verbatim.
    expect(torchVersionFromVersionPy("__version__ = '1.13.0a0'\ndebug = False\ncuda = None\ngit_version = 'Unknown'\nhip = None\n")).toEqual({ major: 1, minor: 13, patch: 0 });
    expect(torchVersionFromVersionPy("from typing import Optional\n\n__all__ = ['__version__']\n__version__ = '2.1.0+cu121'\n")).toEqual({ major: 2, minor: 1, patch: 0 });
  });
  it('since is inclusive and until exclusive', () => {
    const v = (t: string) => parseTorchVersion(t)!;
    expect(isAvailable({ since: '2.0.0' }, v('1.13.1'))).toBe(false);
    expect(isAvailable({ since: '2.0.0' }, v('2.0'))).toBe(true);
    expect(isAvailable({ until: '2.0.0' }, v('1.13.1'))).toBe(true);
    expect(isAvailable({ until: '2.0.0' }, v('2.0.0'))).toBe(false);
  });
});

describe('version-dependent API follows the user release', () => {
  it('F.scaled_dot_product_attention exists from 2.0: the probe picks the fused branch there and the fallback in 1.13', () => {
    // q: [2, 4, 10, 16]; either branch keeps [2, 4, 10, 16]; the Linear then maps 16 -> 32 (2.x) or 16 -> 8 (1.13).
    expect(summaryAt('2.0', PROBE, ['2,4,10,16']).output).toEqual([2, 4, 10, 32]);
    expect(summaryAt('1.13.1', PROBE, ['2,4,10,16']).output).toEqual([2, 4, 10, 8]);
  });
  it('the scale= argument of scaled_dot_product_attention exists from 2.1', () => {
    const code = `
class M(nn.Module):
    def forward(self, q):
        return F.scaled_dot_product_attention(q, q, q, scale=0.5)
`;
    expect(summaryAt('2.1', code, ['2,10,16']).output).toEqual([2, 10, 16]);
    const old = summaryAt('2.0', code, ['2,10,16']);
    expect(old.output).toBeNull();
    expect(old.unknown.some((u) => u.reason.includes("unexpected keyword argument 'scale'"))).toBe(true);
  });
  it('unbatched conv input is accepted from 1.11 and raises before, with that release’s message', () => {
    const code = `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)
`;
    // (3, 32, 32) unbatched: 32 - 3 + 1 = 30 -> [8, 30, 30].
    expect(summaryAt('1.13', code, ['3,32,32']).output).toEqual([8, 30, 30]);
    const old = summaryAt('1.10', code, ['3,32,32']);
    expect(old.errors.map((e) => e.message)).toEqual([
      'Conv2d: Expected 4-dimensional input for 4-dimensional weight [8, 3, 3, 3], but got 3-dimensional input of size [3, 32, 32] instead',
    ]);
  });
  it("importing a name the user's release lacks raises ImportError, so the except branch runs (whisper's probe)", () => {
    const code = `
try:
    from torch.nn.functional import scaled_dot_product_attention
    SDPA_AVAILABLE = True
except (ImportError, RuntimeError, OSError):
    scaled_dot_product_attention = None
    SDPA_AVAILABLE = False

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3 if SDPA_AVAILABLE else 2)

    def forward(self, x):
        return self.fc(x)
`;
    expect(summaryAt('1.13.1', code, ['1,4']).output).toEqual([1, 2]);
    expect(summaryAt('2.6', code, ['1,4']).output).toEqual([1, 3]);
  });
  it('torch.__version__ is the chosen release', () => {
    const code = `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        major = int(torch.__version__.split('.')[0])
        self.fc = nn.Linear(4, 2 if major >= 2 else 1)

    def forward(self, x):
        return self.fc(x)
`;
    expect(summaryAt('1.13.1', code, ['1,4']).output).toEqual([1, 1]);
    expect(summaryAt('2.3.0', code, ['1,4']).output).toEqual([1, 2]);
  });
});

describe('the release of the user environment', () => {
  const files: Record<string, string> = {
    '/proj/.venv/lib/python3.11/site-packages/torch/version.py': "__version__ = '2.1.2+cu121'\n",
    '/conda/lib/python3.10/site-packages/torch/version.py': "__version__ = '1.12.1'\n",
  };
  const dirs: Record<string, string[]> = {
    '/proj': ['.venv', 'src'],
    '/proj/.venv/lib': ['python3.11'],
    '/conda/lib': ['python3.10'],
  };
  const access = (env: Record<string, string>) => ({ readFile: (p: string) => files[p], listDir: (d: string) => dirs[d] ?? [], env });
  it('finds a .venv next to the code, searching parent folders', () => {
    expect(findInstalledTorchVersion('/proj/src/models', access({}))).toEqual({ version: { major: 2, minor: 1, patch: 2 }, path: '/proj/.venv/lib/python3.11/site-packages/torch/version.py' });
  });
  it('finds it the same when folders are looked for one by one (the CLI) rather than by listing their parents', () => {
    const isDirectory = (path: string): boolean => path in dirs || Object.keys(dirs).some((d) => d.startsWith(`${path}/`));
    const listDir = (d: string): string[] => (d.endsWith('/lib') ? dirs[d] ?? [] : []);
    expect(findInstalledTorchVersion('/proj/src/models', { ...access({}), listDir, isDirectory })?.path).toBe('/proj/.venv/lib/python3.11/site-packages/torch/version.py');
    expect(findInstalledTorchVersion('/elsewhere', { ...access({}), listDir, isDirectory })).toBeUndefined();
  });
  it('prefers the active environment (CONDA_PREFIX)', () => {
    expect(findInstalledTorchVersion('/proj/src', access({ CONDA_PREFIX: '/conda' }))?.version).toEqual({ major: 1, minor: 12, patch: 1 });
  });
  it('finds nothing without an environment', () => {
    expect(findInstalledTorchVersion('/elsewhere', access({}))).toBeUndefined();
  });
  it('the CLI takes --torch-version, else the environment, else the newest known, and says which', () => {
    const model = `${HEADER}${PROBE}`;
    const io: CliIo = {
      cwd: '/proj',
      readFile: (p) => (p === '/proj/src/model.py' ? model : files[p]),
      listPythonFiles: () => [],
      isDirectory: (p) => Object.keys(dirs).some((d) => d === p || d.startsWith(`${p}/`)),
      listDir: (d) => dirs[d] ?? [],
      env: {},
    };
    const json = (args: string[]) => JSON.parse(runSummary(['src/model.py', '--input', '2,4,10,16', '--json', ...args], io).stdout);
    expect(json(['--torch-version', '1.13.1'])).toMatchObject({ torch_version: '1.13.1', output: [2, 4, 10, 8] });
    expect(json([])).toMatchObject({ torch_version: '2.1.2', output: [2, 4, 10, 32] });
    const bare = runSummary(['src/model.py', '--input', '2,4,10,16'], { ...io, listDir: () => [] });
    expect(bare.stdout).toContain('PyTorch: 2.6.0 (newest known; set --torch-version)');
    expect(runSummary(['src/model.py', '--torch-version', 'newest'], io).stderr).toContain("--torch-version must be a release such as 2.1 or 1.13.1, got 'newest'");
  });
});

describe('MACs of catalogue layers whose subclass overrides forward', () => {
  it("count the ops the subclass runs, as PyTorch's convention counts a module and its subclasses (whisper's Linear)", () => {
    const code = `
class Linear(nn.Linear):
    def forward(self, x):
        return F.linear(x, self.weight.to(x.dtype), None if self.bias is None else self.bias.to(x.dtype))

class Plain(nn.Module):
    def forward(self, x):
        return x @ x.transpose(-1, -2)

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = Linear(8, 16)
        self.plain = Plain()

    def forward(self, x):
        return self.plain(self.proj(x))
`;
    const s = summaryAt('2.6', code, ['2,5,8']);
    // proj: out (2, 5, 16) → 160 outputs × 8 inputs = 1280 MACs; a user-defined leaf module counts 0.
    expect(s.calls.map((c) => [c.path, c.macs])).toEqual([
      ['proj', 1280],
      ['plain', 0],
    ]);
  });
});
