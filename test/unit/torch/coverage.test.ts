// Every public name of torch, torch.nn, torch.nn.functional and torch.Tensor of PyTorch 2.6 (the table in
// torch-2x-names.json says how it was extracted and from which release) resolves in the analysis to
// something modelled, or is listed in torch-2x-exclusions.ts with its reason.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { isAvailable, parseTorchVersion } from '../../../src/core/frameworks/torch/version';
import { lookupOp } from '../../../src/core/frameworks/torch/index';
import { tensor } from '../../../src/core/values';
import { EXCLUSIONS, REASONS } from './torch-2x-exclusions';

interface NameTable {
  readonly source: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly names: Readonly<Record<'torch' | 'torch.nn' | 'torch.nn.functional' | 'torch.Tensor', readonly string[]>>;
}

const table = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'torch-2x-names.json'), 'utf8')) as NameTable;
const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const session = createSession({ torchVersion: parseTorchVersion('2.6.0')! });

/**
 * Whether the analysis, set to the table's release, resolves a name to a modelled value; a Tensor
 * property that raises on this float tensor (x.imag) counts through its catalogue entry.
 */
function modelled(namespace: keyof NameTable['names'], name: string): boolean {
  const entry = namespace === 'torch.Tensor' ? lookupOp(`Tensor.${name}`) : undefined;
  if (entry && isAvailable(entry, session.torch.torchVersion)) return true;
  const value = namespace === 'torch.Tensor' ? session.torch.getTensorAttr(tensor([2, 3]), name, RANGE) : (session.torch.importTorch(namespace) as { get(n: string): unknown } | undefined)?.get(name);
  return value !== undefined && (value as { kind?: string }).kind !== 'unknown';
}

const qualified = Object.entries(table.names).flatMap(([ns, names]) => names.map((n) => ({ ns: ns as keyof NameTable['names'], name: n, id: `${ns}.${n}` })));
const status = new Map(qualified.map((q) => [q.id, modelled(q.ns, q.name)]));

describe('the catalogue covers the public API of PyTorch 2.x', () => {
  it('reads a table of every public name (torch, torch.nn, torch.nn.functional, torch.Tensor)', () => {
    expect(table.source).toContain('v2.6.0');
    for (const [ns, names] of Object.entries(table.names)) expect(names.length, ns).toBe(table.counts[ns]);
    expect(qualified.length).toBeGreaterThan(1400);
  });

  it('models every name that is not excluded with a reason', () => {
    const missing = qualified.filter((q) => !status.get(q.id) && !EXCLUSIONS.has(q.id)).map((q) => q.id);
    expect(missing).toEqual([]);
  });

  it('lists no exclusion that is modelled after all or is not in the table', () => {
    const known = new Set(qualified.map((q) => q.id));
    expect([...EXCLUSIONS.keys()].filter((id) => !known.has(id))).toEqual([]);
    expect([...EXCLUSIONS.keys()].filter((id) => status.get(id))).toEqual([]);
    expect([...new Set(EXCLUSIONS.values())].filter((r) => !(r in REASONS))).toEqual([]);
  });

  it('hides what the user release lacks: 2.x-only names are absent for PyTorch 1.13', () => {
    const old = createSession({ torchVersion: parseTorchVersion('1.13.1')! });
    const get = (ns: string, n: string) => (old.torch.importTorch(ns) as { get(n: string): unknown }).get(n);
    expect(get('torch.nn.functional', 'scaled_dot_product_attention')).toBeUndefined();
    expect(get('torch.nn', 'RMSNorm')).toBeUndefined();
    expect(get('torch.nn', 'ZeroPad1d')).toBeUndefined();
    expect(get('torch', 'compile')).toBeUndefined();
    expect(get('torch.nn', 'LayerNorm')).toBeDefined();
  });
});
