// `ml-notes notes` in-process: the JSON list, the grouped text list, one topic in Unicode math with numbered
// steps, substitution from NAME=VALUE pairs, and one-line usage errors with exit code 2.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';

const io: CliIo = { cwd: '/', readFile: () => undefined, listPythonFiles: () => [], isDirectory: () => false };
const notes = (...args: string[]) => runCli(['notes', ...args], io);

describe('ml-notes notes', () => {
  it('--json lists all 72 topics with id, area, title and an integer derivation_steps', async () => {
    const result = await notes('--json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { topics: { id: string; area: string; title: string; derivation_steps: number }[] };
    expect(parsed.topics).toHaveLength(72);
    for (const t of parsed.topics) {
      expect(Object.keys(t).sort()).toEqual(['area', 'derivation_steps', 'id', 'title']);
      expect(Number.isInteger(t.derivation_steps)).toBe(true);
    }
    expect(parsed.topics.find((t) => t.id === 'conv-output-size')).toEqual({ id: 'conv-output-size', area: 'cnn-arithmetic', title: 'Convolution and pooling output size', derivation_steps: 6 });
  });

  it('without --json prints a readable list grouped by area', async () => {
    const result = await notes();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sequence models \(7\)\n {2}rnn-as-iir-filter/);
    expect(result.stdout).toContain('CNN arithmetic (11)');
    expect(result.stdout).toMatch(/72 topics, \d+ with derivations/);
  });

  it('prints one topic with Unicode math and numbered steps with their justifications', async () => {
    const result = await notes('attention-sqrt-d-scaling');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Why attention divides by √d');
    expect(result.stdout).toContain('Var(qᵀk/s) = d/s² = 1 ⇔ s = √d');
    expect(result.stdout).toMatch(/\n {2}1\. qᵀ k = Σᵢ₌₁ᵈ qᵢ kᵢ\n {5}— Expand the dot product/);
    expect(result.stdout).toMatch(/\n {2}7\. /);
    expect(result.stdout).toContain('checks:      CC-09, CC-18');
    expect(result.stdout).not.toMatch(/\\[a-z]+/);
  });

  it('substitutes NAME=VALUE pairs into the derivation', async () => {
    const result = await notes('conv-output-size', 'L=224', 'K=7', 'S=2', 'P=3');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('With your numbers\n  K_eff = 1·(7 − 1) + 1 = 7\n  W′ = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112');
    const json = JSON.parse((await notes('conv-output-size', 'L=32', '--json')).stdout) as { topic: { id: string }; substitution: { values: Record<string, number> } };
    expect(json.topic.id).toBe('conv-output-size');
    expect(json.substitution.values.L).toBe(32);
  });

  it('rejects an unknown id with exit 2 and one line suggesting close ids', async () => {
    const result = await notes('conv-outptu-size');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("ml-notes: unknown topic 'conv-outptu-size' (did you mean: conv-output-size?)\n");
  });

  it('rejects bad options and values with exit 2', async () => {
    expect((await notes('--yaml')).code).toBe(2);
    expect((await notes('conv-output-size', 'L=abc')).stderr).toMatch(/L must be a finite number/);
    expect((await notes('conv-output-size', 'K')).stderr).toMatch(/expected NAME=VALUE/);
    expect((await notes('conv-output-size', 'S=0')).stderr).toMatch(/S \(stride\) must be at least 1/);
    expect((await notes('rope', 'd=4')).code).toBe(2);
  });
});
