// Runs the model summary over in-memory files, as the CLI does over the disk.
import { summarizeModel } from '../../../src/core/index';
import type { ModelSummary } from '../../../src/core/index';

export const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

export function summary(
  text: string,
  options: { model?: string; inputs?: string[]; dtype?: 'float' | 'long'; files?: Record<string, string>; path?: string; budget?: { steps?: number; ms?: number } } = {},
): ModelSummary {
  const files = options.files ?? {};
  const result = summarizeModel({
    path: options.path ?? '/ws/model.py',
    text,
    readFile: (p) => files[p],
    ...(options.model ? { model: options.model } : {}),
    ...(options.inputs ? { inputs: options.inputs } : {}),
    ...(options.dtype ? { dtype: options.dtype } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  });
  if ('error' in result) throw new Error(result.error);
  return result;
}

/** path → output shape of each atomic call, in execution order. */
export const outputs = (s: ModelSummary): [string, unknown][] => s.calls.map((c) => [c.path, c.output]);
