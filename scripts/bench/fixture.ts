// Deterministic large inputs for the benchmark: a 5,000-line model file made of the bundled examples,
// repeated with renamed classes so every copy is distinct code the analyzer must evaluate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../src/core/index';

const EXAMPLES = ['resnet.py', 'transformer.py', 'unet.py', 'train.py'];

/** Renames every top-level class and function of one copy so copies do not shadow each other. */
function renameDefinitions(text: string, suffix: string): string {
  const names = [...text.matchAll(/^(?:class|def) (\w+)/gm)].map((m) => m[1]!);
  return names.reduce((acc, name) => acc.replace(new RegExp(`\\b${name}\\b`, 'g'), `${name}${suffix}`), text);
}

export function largeModelFile(root: string, minLines = 5000): string {
  const bodies = EXAMPLES.map((f) => readFileSync(join(root, 'examples', f), 'utf8').replace(/^if __name__ == "__main__":[\s\S]*$/m, ''));
  const header = 'import math\nfrom dataclasses import dataclass\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch.utils.data import DataLoader, TensorDataset\n';
  const parts = [header];
  let lines = header.split('\n').length;
  for (let copy = 0; lines < minLines; copy++) {
    for (const body of bodies) {
      const renamed = renameDefinitions(body.replace(/^(?:import|from) .*$/gm, ''), `_${copy}`);
      parts.push(renamed);
      lines += renamed.split('\n').length;
    }
  }
  return parts.join('\n');
}

/** Lines inside model classes holding a number (layer sizes, dropout rates, loop counts), in file order. */
export function linesInsideModels(text: string): number[] {
  const parsed = parseDocument(text);
  const inside = new Set<number>();
  for (const s of parsed.module.body) if (s.k === 'class') for (let l = s.r.start.line + 1; l <= s.r.end.line; l++) inside.add(l);
  return text.split('\n').flatMap((l, i) => (inside.has(i) && /\d/.test(l) && !l.trim().startsWith('#') ? [i] : []));
}
