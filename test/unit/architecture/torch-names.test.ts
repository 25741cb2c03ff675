// "A torch fact lives in its catalogue entry" (ARCHITECTURE.md), checked on the source: no file of src/
// outside the torch catalogue (src/core/frameworks/torch) and the notes names a torch layer or op of the
// catalogue's own lists in a string literal, an object key or a regular expression. Code that needs to know
// something of a layer asks its entry (lookupLayer(name).traits, lookupOp(name)); the allow-list below holds
// the few places that name one for a stated reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { layerNames, opNames } from '../../../src/core/frameworks/torch';
import { REPO_ROOT, sourceFiles } from './imports';

/** Where torch names belong: the catalogue itself, and the notes (prose about PyTorch). */
const HOMES = ['src/core/frameworks/torch/', 'src/core/notes/'];

interface Allowed {
  readonly path: string;
  readonly names: readonly string[];
  readonly reason: string;
}

const RULE_SUBJECT = "the layer the rule's note is about (its check exists for that one layer); the rule asks the layer's entry for everything else";

/**
 * Places that still name a torch layer or op outside the catalogue, each with why: a ratchet. A name that
 * leaves a file must leave this list too (the second test), and no new one may come in.
 */
const ALLOWED: readonly Allowed[] = [
  { path: 'src/core/editor/varianceChain.ts', names: ['Norm'], reason: "a module of the code's own named like a normalization (LLaMA-style RMSNorm classes) ends a chain: a name of user code, not a catalogue lookup" },
  { path: 'src/core/formulas/rnn.ts', names: ['GRU', 'LSTM', 'RNN'], reason: "the recurrent formulas' cell kinds, spelled as PyTorch names the layers; formulas import nothing, so they cannot ask the catalogue" },
  { path: 'src/core/interp/torch.ts', names: ['torch.Tensor'], reason: "the runtime's torch.Tensor class hands a legacy `torch.Tensor(...)` call to the catalogue's entry of that name" },
  // The check rules: their layer families are entry traits (dense, normalization, activation, dropout, batch
  // statistics, recurrent, spatial rank, loss); what is left, file by file:
  { path: 'src/core/checks/rules/cc32-dropout-on-conv-maps.ts', names: ['Dropout', 'Dropout2d'], reason: 'the rule\'s subject, element-wise nn.Dropout, and the nn.Dropout2d its quick fix writes; the layers it looks through are the entries\' keepsShape and pooling traits' },
  { path: 'src/core/checks/rules/cc56-softmax-over-batch-axis.ts', names: ['Flatten'], reason: 'nn.Flatten keeps the batch axis unless start_dim=0: a fact of its argument, read where the rule walks a Sequential; the other layers are the entries\' probabilities, keepsShape, recurrent, training and variance traits' },
  { path: 'src/core/checks/facts/training.ts', names: ['Loss'], reason: "a class of the code's own named like a loss (FocalLoss, VGGLoss) computes one: a name of user code, not a catalogue lookup; mode-dependent layers are the entries' training trait" },
  { path: 'src/core/checks/rules/cc21-decoder-missing-causal-mask.ts', names: ['Layer'], reason: RULE_SUBJECT },
  { path: 'src/core/checks/rules/cc22-mha-embed-dim-not-divisible.ts', names: ['MultiheadAttention'], reason: RULE_SUBJECT },
  { path: 'src/core/checks/rules/cc29-groupnorm-indivisible.ts', names: ['GroupNorm'], reason: RULE_SUBJECT },
  { path: 'src/core/checks/rules/cc45-kl-div-reduction-mean.ts', names: ['KLDivLoss'], reason: RULE_SUBJECT },
  { path: 'src/core/checks/shapes.ts', names: ['Flatten', 'Linear'], reason: 'CC-40/42 pick the classes to summarise (a flatten and a Linear in the class) from the class code before the shape analysis runs' },
];


const LAYERS = new Set(layerNames());
const OPS = new Set(opNames());

/** Capitalised words of a regular expression that are part of a layer name (`Conv` of /^Conv([123])d$/, `Norm`). */
function layerWordsOf(pattern: string): string[] {
  const words = pattern.match(/[A-Z][A-Za-z]{2,}/g) ?? [];
  return words.filter((w) => [...LAYERS].some((layer) => layer.includes(w)));
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly name: string;
}

/** The torch names a TypeScript source mentions in string literals, object keys and regular expressions. */
export function torchNamesIn(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const note = (node: ts.Node, name: string): void => {
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, name });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (LAYERS.has(node.text) || OPS.has(node.text)) note(node, node.text);
    } else if (ts.isIdentifier(node) && ts.isPropertyAssignment(node.parent) && node.parent.name === node && LAYERS.has(node.text)) {
      note(node, node.text);
    } else if (ts.isRegularExpressionLiteral(node)) {
      for (const word of layerWordsOf(node.text)) note(node, word);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const under = (file: string, path: string): boolean => file === path;
const allowed = (f: Finding): boolean => ALLOWED.some((a) => under(f.file, a.path) && a.names.includes(f.name));

describe('torch names only in the catalogue', () => {
  const files = sourceFiles('src/').filter((file) => !HOMES.some((home) => file.startsWith(home)));
  const findings = files.flatMap((file) => torchNamesIn(file, readFileSync(join(REPO_ROOT, file), 'utf8')));

  it('no file outside the catalogue and the notes names a torch layer or op (beyond the allow-list)', () => {
    expect(findings.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line} ${f.name}`)).toEqual([]);
  });

  it('every allow-list entry is still needed', () => {
    const unused = ALLOWED.flatMap((a) => a.names.filter((name) => !findings.some((f) => under(f.file, a.path) && f.name === name)).map((name) => `${a.path} ${name}`));
    expect(unused).toEqual([]);
  });

  it('catches a layer name in a string, an object key and a regular expression, and an op name', () => {
    const sample = [
      "if (type === 'MultiheadAttention') return;",
      "const FIXES = { Linear: 'in_features' };",
      'const DENSE = /^(Lazy)?(Linear|Conv[123]d)$/;',
      "const kernels = { 'torch.round': Math.round };",
      "const fine = ['relu', 'view', 'weight', 'Tensor'];",
    ].join('\n');
    expect(torchNamesIn('sample.ts', sample).map((f) => `${f.line} ${f.name}`)).toEqual(['1 MultiheadAttention', '2 Linear', '3 Lazy', '3 Linear', '3 Conv', '4 torch.round']);
  });
});
