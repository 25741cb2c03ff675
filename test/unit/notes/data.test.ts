// The notes data against the catalogue: all 72 ids, the required fields, links that resolve, and enough
// step-by-step derivations (every outlined topic of the six priority areas).
import { describe, expect, it } from 'vitest';
import { areas, codeChecks, FULL_DERIVATION_MIN_STEPS, findTopic, topics, topicsByArea } from '../../../src/core/notes';
import { substitutableTopicIds } from '../../../src/core/notes/substitution';
import { findCalculator } from '../../../src/core/calculators';
import { allRules } from '../../../src/core/checks';
import { layerNames, lookupLayer, lookupOp, opNames } from '../../../src/core/frameworks/torch';

// The notes' table of contents as the course's catalogue of topics lists it, area by area, in order.
const CATALOGUE: Readonly<Record<string, readonly string[]>> = {
  'sequence-models': ['rnn-as-iir-filter', 'rnn-nonlinearity-saturation', 'rnn-state-normalization-skips', 'rnn-initialization', 'rnn-bptt-exploding-vanishing', 'kalman-filter-as-rnn', 'seq2seq-rnn-limitations'],
  'attention-transformers': ['attention-soft-lookup', 'attention-self-cross-causal', 'attention-sqrt-d-scaling', 'attention-complexity', 'vit-attention-cost', 'multi-head-attention', 'multi-query-attention', 'positional-encoding-additive', 'relative-position-bias', 'rope'],
  generative: ['linear-autoencoder-pca', 'denoising-autoencoder-ridge', 'masking-as-subtractive-noise', 'vae-elbo', 'diffusion-forward-process'],
  'cnn-arithmetic': ['conv-output-size', 'conv-parameter-count', 'receptive-field', 'stacked-3x3-vs-7x7', 'conv-weight-sharing', 'pooling-max-avg', 'global-average-pooling', 'channel-doubling-on-downsample', 'depthwise-separable-conv', 'linear-bottleneck-no-relu-output', 'unet'],
  'normalization-init': ['normalization-motivation', 'input-standardization', 'batch-norm', 'layer-norm', 'layer-norm-jacobian', 'group-norm', 'instance-norm', 'weight-init-xavier-he', 'init-failure-modes'],
  optimization: ['gd-least-squares-convergence', 'momentum', 'adam', 'lr-schedule-decay', 'backprop-two-layer-vector-calculus', 'training-loop-debugging'],
  regularization: ['dropout', 'spatial-dropout-drop-channels', 'stochastic-depth', 'residual-connections', 'label-smoothing', 'data-augmentation', 'ridge-regression-kernel-form', 'adversarial-examples-linear'],
  'transfer-meta': ['forgetting-mitigation', 'prompt-tuning', 'fine-tuning-layer-selection', 'maml'],
  'graph-nets': ['gnn-overview', 'gnn-message-passing', 'gnn-aggregation-oversmoothing', 'gnn-pooling'],
  'math-probability': ['entropy-cross-entropy-kl', 'kl-gaussians', 'kl-sample-interpretation', 'variance-identities', 'quadratic-form-expectation', 'bayes-rule', 'sigmoid-derivative', 'quotient-rule'],
};

// Topics of the six priority areas for which the catalogue gives a derivation outline ("Derivation: not
// applicable" topics — input-standardization, group-norm, multi-head-attention's reshape aside — excluded).
const OUTLINED_PRIORITY_TOPICS = [
  'conv-output-size', 'conv-parameter-count', 'receptive-field', 'stacked-3x3-vs-7x7', 'conv-weight-sharing', 'pooling-max-avg', 'global-average-pooling', 'channel-doubling-on-downsample', 'depthwise-separable-conv', 'linear-bottleneck-no-relu-output', 'unet',
  'attention-soft-lookup', 'attention-self-cross-causal', 'attention-sqrt-d-scaling', 'attention-complexity', 'vit-attention-cost', 'multi-query-attention', 'positional-encoding-additive', 'rope',
  'normalization-motivation', 'batch-norm', 'layer-norm-jacobian', 'instance-norm', 'weight-init-xavier-he', 'init-failure-modes',
  'gd-least-squares-convergence', 'momentum', 'adam', 'lr-schedule-decay', 'backprop-two-layer-vector-calculus', 'training-loop-debugging',
  'dropout', 'stochastic-depth', 'residual-connections', 'label-smoothing', 'data-augmentation', 'ridge-regression-kernel-form', 'adversarial-examples-linear',
  'linear-autoencoder-pca', 'denoising-autoencoder-ridge', 'masking-as-subtractive-noise', 'vae-elbo', 'diffusion-forward-process',
];

describe('notes data', () => {
  it('has exactly the 72 catalogue topics, in the catalogue order, with unique ids', () => {
    const expected = Object.values(CATALOGUE).flat();
    expect(expected).toHaveLength(72);
    expect(topics.map((t) => t.id)).toEqual(expected);
    expect(new Set(topics.map((t) => t.id)).size).toBe(72);
  });

  it('puts every topic in its catalogue area and lists the ten areas in order', () => {
    expect(areas.map((a) => a.id)).toEqual(Object.keys(CATALOGUE));
    for (const [area, ids] of Object.entries(CATALOGUE)) {
      expect(topicsByArea(area as never).map((t) => t.id)).toEqual(ids);
    }
  });

  it('gives every topic the required fields', () => {
    for (const topic of topics) {
      expect(topic.title.length, topic.id).toBeGreaterThan(3);
      expect(topic.summary.length, topic.id).toBeGreaterThan(80);
      expect(topic.formulas.length, topic.id).toBeGreaterThan(0);
      for (const f of topic.formulas) {
        expect(f.tex.trim().length, topic.id).toBeGreaterThan(0);
        // The plain-text form is for hovers and terminals: real Unicode, never raw LaTeX.
        expect(f.text, `${topic.id}: ${f.text}`).not.toMatch(/\\[a-zA-Z]/);
      }
      for (const step of topic.derivation) {
        expect(step.why.length, topic.id).toBeGreaterThan(5);
        expect(step.why, topic.id).not.toMatch(/\\[a-zA-Z]/);
      }
      expect(Array.isArray(topic.checks) && Array.isArray(topic.caveats) && Array.isArray(topic.related)).toBe(true);
    }
  });

  it('has at least 25 full step-by-step derivations, covering every outlined topic of the six priority areas', () => {
    const full = topics.filter((t) => t.derivation.length >= FULL_DERIVATION_MIN_STEPS);
    expect(full.length).toBeGreaterThanOrEqual(25);
    for (const id of OUTLINED_PRIORITY_TOPICS) {
      expect(findTopic(id)?.derivation.length ?? 0, id).toBeGreaterThanOrEqual(2);
    }
    const fullPriority = OUTLINED_PRIORITY_TOPICS.filter((id) => (findTopic(id)?.derivation.length ?? 0) >= FULL_DERIVATION_MIN_STEPS);
    expect(fullPriority.length).toBeGreaterThanOrEqual(25);
  });

  it('has the 56 code checks of §11 (52 of the catalogue and 4 the real code needed), each citing existing topics, and links each topic to the checks citing it', () => {
    expect(codeChecks).toHaveLength(56);
    expect(new Set(codeChecks.map((c) => c.id)).size).toBe(56);
    expect(codeChecks.map((c) => Number(c.id.slice(3))).sort((a, b) => a - b)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    for (const check of codeChecks) {
      expect(check.cites.length, check.id).toBeGreaterThan(0);
      for (const id of check.cites) expect(findTopic(id), `${check.id} cites ${id}`).toBeDefined();
    }
    // Spot checks against the catalogue's "Why" column.
    expect(findTopic('attention-sqrt-d-scaling')?.checks).toEqual(['CC-09', 'CC-18']);
    // CC-51 is retired (docs/checks.md): topics list only checks that run.
    expect(findTopic('conv-output-size')?.checks).toEqual(['CC-40']);
    expect(findTopic('training-loop-debugging')?.checks).toEqual(['CC-01', 'CC-02', 'CC-03', 'CC-04', 'CC-05', 'CC-08', 'CC-09', 'CC-11', 'CC-39', 'CC-53', 'CC-56']);
    expect(findTopic('kl-gaussians')?.checks).toEqual(['CC-48']);
  });

  it('keeps each retired check with its reason and without a rule, and no topic lists it', () => {
    const retired = codeChecks.filter((c) => c.retired);
    expect(retired.map((c) => c.id)).toEqual(['CC-14', 'CC-28', 'CC-41', 'CC-49', 'CC-51']);
    for (const check of retired) {
      expect(check.retired!.length, check.id).toBeGreaterThan(80);
      expect(allRules.some((r) => r.id === check.id), check.id).toBe(false);
      for (const topic of topics) expect(topic.checks, topic.id).not.toContain(check.id);
    }
  });

  it('links only to topics, calculators and parameters that exist', () => {
    for (const topic of topics) {
      for (const id of topic.related) expect(findTopic(id), `${topic.id} → ${id}`).toBeDefined();
      for (const id of topic.calculators) expect(findCalculator(id), `${topic.id} → calculator ${id}`).toBeDefined();
      for (const snippet of topic.snippets) expect(snippet.code.trim().length, topic.id).toBeGreaterThan(10);
      const names = topic.parameters.map((p) => p.name);
      expect(new Set(names).size, topic.id).toBe(names.length);
      for (const p of topic.parameters) {
        expect(p.defaultValue, `${topic.id}.${p.name}`).toBeGreaterThanOrEqual(p.min);
        if (p.max !== undefined) expect(p.defaultValue).toBeLessThanOrEqual(p.max);
      }
    }
    // A topic declares parameters exactly when its derivation can be evaluated with numbers.
    const withParameters = topics.filter((t) => t.parameters.length > 0).map((t) => t.id).sort();
    expect([...substitutableTopicIds].sort()).toEqual(withParameters);
  });

  it('is plain serializable data (it is posted to webviews as is)', () => {
    const roundTrip = JSON.parse(JSON.stringify(topics));
    expect(roundTrip).toEqual(topics);
  });

  it('resolves every topic the layer catalogue links to (hover links open real topics)', () => {
    const linked = [...layerNames().map((n) => lookupLayer(n)?.topic), ...opNames().map((n) => (lookupOp(n) as { topic?: string } | undefined)?.topic)].filter(
      (t): t is string => typeof t === 'string',
    );
    expect(linked.length).toBeGreaterThan(5);
    for (const id of linked) expect(findTopic(id), id).toBeDefined();
  });

  it('links every calculator and simulation from at least one topic', async () => {
    const { calculators } = await import('../../../src/core/calculators');
    const linkedCalculators = new Set(topics.flatMap((t) => t.calculators));
    for (const c of calculators) expect(linkedCalculators.has(c.id as never), c.id).toBe(true);
    const linkedSimulations = new Set(topics.flatMap((t) => t.simulations));
    for (const id of ['gd-momentum-adam', 'activation-variance', 'softmax-saturation', 'rnn-dynamics', 'diffusion-forward', 'receptive-field']) {
      expect(linkedSimulations.has(id as never), id).toBe(true);
    }
  });
});
