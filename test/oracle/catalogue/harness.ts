// Oracle harness for the layer catalogue: runs every case of a test file through REAL PyTorch in one
// Python process (built module, forward on zeros; output shapes, parameters and buffers in registration
// order, MACs by the oracle's independent convention in ../torch_summary.py, and the error text when
// PyTorch raises), then runs the same case through the catalogue entry for comparison.
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupLayer } from '../../../src/core/frameworks/torch/index';
import { isLayerError } from '../../../src/core/frameworks/types';
import type { DataValue } from '../../../src/core/values';
import { NONE, tensor } from '../../../src/core/values';
import { bindArgs } from '../../unit/torch/bind';

const PYTHON = TORCH_PYTHON;
const ORACLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface InputSpec {
  readonly shape: readonly number[];
  readonly dtype?: 'float32' | 'int64';
}

export interface LayerCase {
  readonly id: string;
  readonly layer: string;
  readonly args?: readonly DataValue[];
  readonly kwargs?: Readonly<Record<string, DataValue>>;
  /** Positional forward arguments: tensors of zeros, or null for None. */
  readonly inputs: readonly (InputSpec | null)[];
  readonly forwardKwargs?: Readonly<Record<string, DataValue>>;
}

/** What one side reports for a case. */
export interface Observation {
  readonly error?: { readonly stage: 'configure' | 'forward'; readonly message: string };
  readonly output?: unknown;
  readonly params?: readonly (readonly [string, readonly number[]])[];
  readonly buffers?: readonly (readonly [string, readonly number[]])[];
  readonly macs?: number | null;
}

/** A Python literal for a plain data value. */
export function pythonLiteral(v: DataValue): string {
  switch (v.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
      if (typeof v.value !== 'number') throw new Error('symbolic ints cannot be sent to PyTorch');
      return String(v.value);
    case 'float':
      return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    case 'str':
      return JSON.stringify(v.value);
    case 'tuple':
      return `(${v.items.map(pythonLiteral).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list':
      return `[${v.items.map(pythonLiteral).join(', ')}]`;
    case 'tensor':
      if (v.shape === null || v.shape.some((d) => typeof d !== 'number')) throw new Error('only concrete tensors can be sent to PyTorch');
      return `torch.zeros(${JSON.stringify(v.shape)}, dtype=torch.${v.dtype})`;
    default:
      throw new Error(`cannot render ${v.kind} as a Python literal`);
  }
}

const callText = (args: readonly DataValue[] = [], kwargs: Readonly<Record<string, DataValue>> = {}): string =>
  [...args.map(pythonLiteral), ...Object.entries(kwargs).map(([k, v]) => `${k}=${pythonLiteral(v)}`)].join(', ');

const inputText = (spec: InputSpec | null): string =>
  spec === null ? 'None' : `torch.zeros(${JSON.stringify(spec.shape)}, dtype=torch.${spec.dtype === 'int64' ? 'long' : 'float32'})`;

const SCRIPT = String.raw`
import json, sys, warnings
warnings.filterwarnings("ignore")
import torch, torch.nn as nn
torch.set_num_threads(1)
sys.path.insert(0, sys.argv[1])
from torch_summary import macs_of

def shape_of(v):
    if isinstance(v, torch.Tensor):
        return list(v.shape)
    if isinstance(v, (tuple, list)):
        return [shape_of(x) for x in v]
    return None

def first_line(e):
    return str(e).strip().split("\n")[0]

def named(pairs):
    return [[n, list(t.shape)] for n, t in pairs]

results = []
for case in json.load(sys.stdin):
    torch.manual_seed(0)
    rec = {"id": case["id"]}
    try:
        module = eval("nn.%s(%s)" % (case["layer"], case["call"]))
    except Exception as e:
        rec["error"] = {"stage": "configure", "message": first_line(e)}
        results.append(rec)
        continue
    module.eval()
    try:
        inputs = [eval(text) for text in case["inputs"]]
        kwargs = eval("dict(%s)" % case["forward"])
        out = module(*inputs, **kwargs)
        rec["output"] = shape_of(out)
        rec["macs"] = macs_of(module, inputs, out)
    except Exception as e:
        rec["error"] = {"stage": "forward", "message": first_line(e)}
    try:
        rec["params"] = named(module.named_parameters())
        rec["buffers"] = named(module.named_buffers())
    except Exception:
        pass
    results.append(rec)
print(json.dumps(results))
`;

/** Runs every case through real PyTorch, in one process. */
export function runPyTorch(cases: readonly LayerCase[]): Map<string, Observation> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install python3-torch (ORACLE_APT_PACKAGES in scripts/e2e-env.sh; npm test installs it)`);
  const payload = cases.map((c) => ({
    id: c.id,
    layer: c.layer,
    call: callText(c.args, c.kwargs),
    inputs: c.inputs.map(inputText),
    forward: callText([], c.forwardKwargs),
  }));
  const run = spawnSync(PYTHON, ['-c', SCRIPT, ORACLE_DIR], { input: JSON.stringify(payload), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`PyTorch oracle failed (exit ${run.status}): ${run.stderr}`);
  const records = JSON.parse(run.stdout) as Array<Observation & { id: string }>;
  return new Map(records.map((r) => [r.id, r]));
}

/** JSON form of an entry's output: a tensor's shape, a tuple as a list, None as null. */
function outputShape(v: DataValue): unknown {
  if (v.kind === 'tensor') return v.shape;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.map(outputShape);
  if (v.kind === 'none') return null;
  return { unknown: v.kind === 'unknown' ? v.reason : v.kind };
}

/** Runs a case through the catalogue entry, the way the interpreter would. */
export function runCatalogue(c: LayerCase): Observation {
  const entry = lookupLayer(c.layer);
  if (!entry) return { error: { stage: 'configure', message: `no catalogue entry for ${c.layer}` } };
  let config = entry.configure(bindArgs(entry.signature, c.args ?? [], c.kwargs ?? {}));
  if (isLayerError(config)) return { error: { stage: 'configure', message: config.message } };
  const inputs: DataValue[] = c.inputs.map((spec) => (spec === null ? NONE : tensor(spec.shape, spec.dtype ?? 'float32')));
  const forwardArgs = bindArgs(entry.forwardSignature, inputs, c.forwardKwargs ?? {});
  if (entry.materialize) {
    const materialized = entry.materialize(config, forwardArgs);
    if (isLayerError(materialized)) return { error: { stage: 'forward', message: materialized.message } };
    config = materialized;
  }
  const all = entry.parameters(config);
  const params = all.filter((p) => !p.buffer).map((p) => [p.name, p.shape] as const);
  const buffers = all.filter((p) => p.buffer).map((p) => [p.name, p.shape] as const);
  const result = entry.forward(config, forwardArgs);
  if (isLayerError(result)) return { error: { stage: 'forward', message: result.message }, params, buffers };
  const macs = result.macs;
  return { output: outputShape(result.output), macs: typeof macs === 'number' ? macs : null, params, buffers };
}

/** One vitest suite: PyTorch once for all cases, then one test per case comparing everything it reports. */
export function oracleSuite(title: string, cases: readonly LayerCase[]): void {
  describe(title, () => {
    let truth = new Map<string, Observation>();
    beforeAll(() => {
      truth = runPyTorch(cases);
    });
    it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      const expected = truth.get(c.id);
      expect(expected, 'PyTorch returned no record').toBeDefined();
      const actual = runCatalogue(c);
      if (expected!.error) {
        expect(actual.error).toEqual(expected!.error);
        return;
      }
      expect(actual.error).toBeUndefined();
      expect(actual.output).toEqual(expected!.output);
      expect(actual.params).toEqual(expected!.params);
      expect(actual.buffers).toEqual(expected!.buffers);
      expect(actual.macs).toBe(expected!.macs);
    });
  });
}
