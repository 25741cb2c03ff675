// The notes index API: lookup, search, suggestions for mistyped ids, the sidebar tree, and the Unicode
// rendering of derivation steps for terminals.
import { describe, expect, it } from 'vitest';
import { findArea, findCheck, findTopic, notesIndex, notesTree, searchTopics, suggestTopicIds, topics } from '../../../src/core/notes';
import { texToText } from '../../../src/core/notes/plainText';

describe('notes index', () => {
  it('finds topics, areas and checks by id', () => {
    expect(findTopic('rope')?.title).toMatch(/Rotary/);
    expect(findTopic('nope')).toBeUndefined();
    expect(findArea('cnn-arithmetic')?.title).toBe('CNN arithmetic');
    expect(findCheck('cc-18')?.slug).toBe('attention-missing-scale');
    expect(notesIndex.all()).toBe(topics);
  });

  it('searches by every word, ranking id and title hits first; an empty query lists all topics', () => {
    expect(searchTopics('receptive field')[0]?.id).toBe('receptive-field');
    expect(searchTopics('sqrt').map((t) => t.id)).toContain('attention-sqrt-d-scaling');
    expect(searchTopics('kalman')[0]?.id).toBe('kalman-filter-as-rnn');
    expect(searchTopics('CC-47').map((t) => t.id)).toEqual(['diffusion-forward-process']);
    expect(searchTopics('zebra giraffe')).toEqual([]);
    expect(searchTopics('   ')).toHaveLength(72);
  });

  it('suggests close ids for a mistyped one', () => {
    expect(suggestTopicIds('conv-outptu-size')[0]).toBe('conv-output-size');
    expect(suggestTopicIds('adma')).toContain('adam');
    expect(suggestTopicIds('dropout')[0]).toBe('dropout');
    expect(suggestTopicIds('qqqqqqqqqqqqqqqqqqqqqqq')).toEqual([]);
  });

  it('builds the sidebar tree: ten areas with their topics, filterable', () => {
    const tree = notesTree();
    expect(tree).toHaveLength(10);
    expect(tree.reduce((n, a) => n + a.children.length, 0)).toBe(72);
    const conv = tree.find((a) => a.id === 'cnn-arithmetic')!.children.find((t) => t.id === 'conv-output-size')!;
    expect(conv).toMatchObject({ kind: 'topic', hasDerivation: true, description: '6 steps', hasSnippet: true });
    expect(conv.calculators).toContain('conv-out');
    const filtered = notesTree('kalman');
    expect(filtered.map((a) => a.id)).toEqual(['sequence-models']);
    expect(filtered[0]!.children.map((t) => t.id)).toEqual(['kalman-filter-as-rnn']);
    expect(notesTree('zebra giraffe')).toEqual([]);
  });
});

describe('texToText', () => {
  it('turns the KaTeX subset of the notes into readable Unicode', () => {
    expect(texToText(String.raw`\frac{1}{\sqrt{d}}`)).toBe('1/√d');
    expect(texToText(String.raw`x_{t+1} = x_t - \eta A^\top (A x_t - b)`)).toBe('xₜ₊₁ = xₜ − η Aᵀ (A xₜ − b)');
    expect(texToText(String.raw`\mathbb E[q_i k_i] = 0`)).toBe('𝔼[qᵢ kᵢ] = 0');
    expect(texToText(String.raw`\bar\alpha_t = \prod_{s=1}^{t} \alpha_s`)).toBe('ᾱₜ = Πₛ₌₁ᵗ αₛ');
    expect(texToText(String.raw`\left\lfloor \frac{W + 2P - K}{S} \right\rfloor + 1`)).toBe('⌊ (W + 2P − K)/S ⌋ + 1');
    expect(texToText(String.raw`\operatorname*{arg\,max}_i e_i`)).toBe('arg maxᵢ eᵢ');
    expect(texToText(String.raw`\text{fine-tune}`)).toBe('fine-tune');
  });

  it('leaves no LaTeX command in any derivation step or formula of the notes', () => {
    for (const topic of topics) {
      for (const item of [...topic.derivation, ...topic.formulas]) {
        expect(texToText(item.tex), `${topic.id}: ${item.tex}`).not.toMatch(/\\/);
      }
    }
  });
});
