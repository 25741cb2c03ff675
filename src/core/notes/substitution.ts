// The user's numbers substituted into a derivation (e.g. a Conv2d's K, S, P, D and input size). Every
// number shown comes from the core's formula functions in src/core/formulas; formulas written over
// Arith<T> are also rendered by them (texArith, textArith), so the substituted line cannot drift from the
// formula. Bad input gives a message, never an exception, NaN or Infinity.
import { numberArith, textArith, type Arith } from '../formulas/arith';
import { convOutputSize, convParameterCount, effectiveKernel, inputReceptiveField, receptiveFieldStep, type ConvAxis, type ReceptiveField } from '../formulas/conv';
import { attentionMacs, attentionMacsNotesConvention, attentionParameterCount, headDim, kvCacheBytes, vitTokenCount, type AttentionShape } from '../formulas/attention';
import { forwardProcessAt, type Schedule } from '../formulas/diffusion';
import { chainVarianceGain, kaimingSpread, layerVarianceGain, lecunSpread, pytorchDefaultSpread, xavierSpread } from '../formulas/init';
import { adamBiasCorrection, gradientDescentSteps } from '../formulas/optimization';
import { klGaussian1d } from '../formulas/probability';
import { findTopic } from './index';
import { texArith, texNumber, textNumber } from './texArith';
import type { NoteFormula, NoteParameter, NoteSubstitution } from './types';

export type SubstitutionResult = { readonly ok: true; readonly substitution: NoteSubstitution } | { readonly ok: false; readonly error: string };

type Values = Readonly<Record<string, number>>;
/** Lines for valid values, or a message saying which constraint the values break. */
type Substituter = (v: Values) => readonly NoteFormula[] | string;

const line = (tex: string, text: string): NoteFormula => ({ tex, text });
const percent = (x: number): string => `${(100 * x).toFixed(1)}`;

/** Both renderings of an integer-literal formula over Arith<T>. */
function rendered(build: <T>(a: Arith<T>) => T): { tex: string; text: string; value: number } {
  // A stage that is zero by convention (e.g. no W_O in the notes' convention) adds nothing worth reading.
  const dropZeroTerm = (s: string): string => s.replace(/ \+ 0$/, '');
  return { tex: dropZeroTerm(build(texArith)), text: dropZeroTerm(build(textArith)), value: build(numberArith) };
}

function convOutputLines(v: Values): readonly NoteFormula[] | string {
  const axis = <T>(a: Arith<T>): ConvAxis<T> => ({ size: a.lit(v.L!), kernel: a.lit(v.K!), stride: a.lit(v.S!), padding: a.lit(v.P!), dilation: a.lit(v.D!) });
  const kEff = rendered((a) => effectiveKernel(a, a.lit(v.K!), a.lit(v.D!)));
  const padded = v.L! + 2 * v.P!;
  if (kEff.value > padded) return `the dilated kernel spans ${kEff.value} positions but the padded input has only ${padded}`;
  const out = rendered((a) => convOutputSize(a, axis(a)));
  return [
    line(`K_{\\text{eff}} = ${kEff.tex} = ${kEff.value}`, `K_eff = ${kEff.text} = ${kEff.value}`),
    line(`W' = ${out.tex} = ${out.value}`, `W′ = ${out.text} = ${out.value}`),
  ];
}

function receptiveFieldLines(v: Values): readonly NoteFormula[] | string {
  const layer = { kernel: v.K!, stride: v.S!, padding: 0, dilation: 1 };
  const rows: { index: number; before: ReceptiveField; after: ReceptiveField }[] = [];
  let rf = inputReceptiveField;
  for (let l = 1; l <= v.L!; l++) {
    const next = receptiveFieldStep(rf, layer);
    if (!Number.isFinite(next.size) || next.size > Number.MAX_SAFE_INTEGER) return `the receptive field exceeds ${Number.MAX_SAFE_INTEGER} after ${l} layers; use fewer layers or a smaller stride`;
    rows.push({ index: l, before: rf, after: next });
    rf = next;
  }
  // Long stacks show the first two layers and the last, which is enough to follow the recurrence.
  const shown = rows.length <= 4 ? rows : [rows[0]!, rows[1]!, rows[rows.length - 1]!];
  const lines = shown.map(({ index, before, after }) =>
    line(
      `r_{${index}} = ${before.size} + (${v.K} - 1) \\cdot ${before.jump} = ${after.size},\\quad j_{${index}} = ${before.jump} \\cdot ${v.S} = ${after.jump}`,
      `r_${index} = ${before.size} + (${v.K} − 1)·${before.jump} = ${after.size},  j_${index} = ${before.jump}·${v.S} = ${after.jump}`,
    ),
  );
  if (shown.length < rows.length) lines.splice(2, 0, line(`\\vdots`, '⋮'));
  return [line(`r_0 = 1,\\quad j_0 = 1`, 'r₀ = 1,  j₀ = 1'), ...lines];
}

function convParameterLines(v: Values): readonly NoteFormula[] | string {
  const { Cin, Cout, K, groups, bias } = v as Required<Record<'Cin' | 'Cout' | 'K' | 'groups' | 'bias', number>>;
  if (Cin % groups !== 0 || Cout % groups !== 0) return `groups (${groups}) must divide both in_channels (${Cin}) and out_channels (${Cout})`;
  const count = convParameterCount(Cin, Cout, [K, K], groups, bias === 1);
  const biasTex = bias === 1 ? ` + ${Cout}` : '';
  const biasText = bias === 1 ? ` + ${Cout}` : '';
  return [
    line(`\\#\\text{params} = ${K} \\cdot ${K} \\cdot \\frac{${Cin}}{${groups}} \\cdot ${Cout}${biasTex} = ${count}`, `#params = ${K}·${K}·(${Cin}/${groups})·${Cout}${biasText} = ${count}`),
  ];
}

function stackedLines(v: Values): readonly NoteFormula[] | string {
  const c = v.C!;
  const threeLayer = { kernel: 3, stride: 1, padding: 1, dilation: 1 };
  const stackRf = [threeLayer, threeLayer, threeLayer].reduce(receptiveFieldStep, inputReceptiveField).size;
  const bigRf = receptiveFieldStep(inputReceptiveField, { kernel: 7, stride: 1, padding: 3, dilation: 1 }).size;
  const stack = 3 * convParameterCount(c, c, [3, 3], 1, false);
  const big = convParameterCount(c, c, [7, 7], 1, false);
  return [
    line(`r_{3\\times3,\\,3\\text{ layers}} = ${stackRf},\\qquad r_{7\\times7} = ${bigRf}`, `r(3 × 3×3) = ${stackRf},  r(7×7) = ${bigRf}`),
    line(`3 \\cdot 9 \\cdot ${c}^2 = ${stack}\\quad\\text{vs}\\quad 49 \\cdot ${c}^2 = ${big}`, `3·9·${c}² = ${stack}  vs  49·${c}² = ${big}`),
    line(`1 - \\frac{${stack}}{${big}} = ${percent(1 - stack / big)}\\%`, `1 − ${stack}/${big} = ${percent(1 - stack / big)}%`),
  ];
}

function depthwiseLines(v: Values): readonly NoteFormula[] | string {
  const { C, F, K } = v as Required<Record<'C' | 'F' | 'K', number>>;
  const depthwise = convParameterCount(C, C, [K, K], C, false);
  const pointwise = convParameterCount(C, F, [1, 1], 1, false);
  const dense = convParameterCount(C, F, [K, K], 1, false);
  const ratio = (depthwise + pointwise) / dense;
  return [
    line(`${K}^2 \\cdot ${C} + ${C} \\cdot ${F} = ${depthwise} + ${pointwise} = ${depthwise + pointwise}`, `${K}²·${C} + ${C}·${F} = ${depthwise} + ${pointwise} = ${depthwise + pointwise}`),
    line(`${K}^2 \\cdot ${C} \\cdot ${F} = ${dense}`, `dense: ${K}²·${C}·${F} = ${dense}`),
    line(`\\frac{${depthwise + pointwise}}{${dense}} = ${texNumber(ratio)} \\approx \\frac{1}{${texNumber(1 / ratio)}}`, `${depthwise + pointwise}/${dense} = ${textNumber(ratio)} ≈ 1/${textNumber(1 / ratio)}`),
  ];
}

function attentionShape<T>(a: Arith<T>, d: number, h: number, g: number): AttentionShape<T> {
  return { embedDim: a.lit(d), numHeads: a.lit(h), kvHeads: a.lit(g) };
}

function attentionComplexityLines(v: Values): readonly NoteFormula[] | string {
  const { M, N, d, h } = v as Required<Record<'M' | 'N' | 'd' | 'h', number>>;
  if (d % h !== 0) return `d (${d}) must be divisible by h (${h})`;
  const notes = rendered((a) => attentionMacsNotesConvention(a, attentionShape(a, d, h, h), a.lit(M), a.lit(M)).total);
  const standard = rendered((a) => attentionMacs(a, attentionShape(a, d, h, h), a.lit(M), a.lit(M)).total);
  const cross = rendered((a) => attentionMacs(a, attentionShape(a, d, h, h), a.lit(N), a.lit(M)).total);
  return [
    line(`\\text{SA (notes)} = ${notes.tex} = ${texNumber(notes.value)}`, `SA (notes) = ${notes.text} = ${textNumber(notes.value)} MACs`),
    line(`\\text{SA (standard)} = ${standard.tex} = ${texNumber(standard.value)}`, `SA (standard) = ${standard.text} = ${textNumber(standard.value)} MACs`),
    line(`\\text{cross (standard)} = ${cross.tex} = ${texNumber(cross.value)}`, `cross (standard) = ${cross.text} = ${textNumber(cross.value)} MACs`),
  ];
}

function vitLines(v: Values): readonly NoteFormula[] | string {
  const { H, W, P, D } = v as Required<Record<'H' | 'W' | 'P' | 'D', number>>;
  if (P > H || P > W) return `the patch size (${P}) must not exceed the image (${H}×${W})`;
  const tokens = rendered((a) => vitTokenCount(a, a.lit(H), a.lit(W), a.lit(P), false));
  const scores = rendered((a) => attentionMacs(a, attentionShape(a, D, 1, 1), a.lit(tokens.value), a.lit(tokens.value)).scores);
  return [
    line(`N = ${tokens.tex} = ${tokens.value}`, `N = ${tokens.text} = ${tokens.value}`),
    line(`N^2 D = ${scores.tex} = ${texNumber(scores.value)}`, `N²·D = ${scores.text} = ${textNumber(scores.value)} MACs per layer for QKᵀ`),
  ];
}

function multiHeadLines(v: Values): readonly NoteFormula[] | string {
  const { d, h } = v as Required<Record<'d' | 'h', number>>;
  if (d % h !== 0) return `embed_dim (${d}) must be divisible by num_heads (${h})`;
  const dh = rendered((a) => headDim(a, a.lit(d), a.lit(h)));
  const params = rendered((a) => attentionParameterCount(a, attentionShape(a, d, h, h), true));
  return [line(`d_h = ${dh.tex} = ${dh.value}`, `d_h = ${dh.text} = ${dh.value}`), line(`\\#\\text{params} = ${params.tex} = ${params.value}`, `#params = ${params.text} = ${params.value}`)];
}

function multiQueryLines(v: Values): readonly NoteFormula[] | string {
  const { layers, M, h, g, dh, bytes } = v as Required<Record<'layers' | 'M' | 'h' | 'g' | 'dh' | 'bytes', number>>;
  if (g > h || h % g !== 0) return `the K/V heads g (${g}) must divide the query heads h (${h})`;
  const cache = (kvHeads: number) =>
    rendered((a) => kvCacheBytes(a, { layers: a.lit(layers), kvHeads: a.lit(kvHeads), headDim: a.lit(dh), context: a.lit(M), batch: a.lit(1), bytesPerElement: a.lit(bytes) }));
  const mha = cache(h);
  const gqa = cache(g);
  const mqa = cache(1);
  const d = h * dh;
  const kvMacs = (kvHeads: number) => attentionMacsNotesConvention(numberArith, attentionShape(numberArith, d, h, kvHeads), M, M).keyValueProjection;
  const saving = kvMacs(h) - kvMacs(1);
  return [
    line(`\\text{MHA: } ${mha.tex} = ${texNumber(mha.value)}\\ \\text{B}`, `MHA: ${mha.text} = ${textNumber(mha.value)} bytes`),
    line(`\\text{GQA } (g = ${g}):\\ ${texNumber(gqa.value)}\\ \\text{B},\\quad \\text{MQA: } ${texNumber(mqa.value)}\\ \\text{B}`, `GQA (g = ${g}): ${textNumber(gqa.value)} bytes,  MQA: ${textNumber(mqa.value)} bytes`),
    line(`2Md^2(h - 1) = 2 \\cdot ${M} \\cdot ${d}^2 \\cdot ${h - 1} = ${texNumber(saving)}`, `2Md²(h − 1) = 2·${M}·${d}²·${h - 1} = ${textNumber(saving)} MACs saved (notes)`),
  ];
}

function diffusionLines(v: Values): readonly NoteFormula[] | string {
  const { t, T, beta1, betaT } = v as Required<Record<'t' | 'T' | 'beta1' | 'betaT', number>>;
  if (t > T) return `the step t (${t}) must not exceed T (${T})`;
  if (beta1 <= 0 || betaT <= 0 || beta1 >= 1 || betaT >= 1) return 'β₁ and β_T must lie strictly between 0 and 1';
  const schedule: Schedule = { kind: 'linear', steps: T, betaStart: beta1, betaEnd: betaT };
  const at = forwardProcessAt(schedule, t);
  return [
    line(`\\bar\\alpha_{${t}} = \\prod_{s=1}^{${t}} (1 - \\beta_s) = ${texNumber(at.alphaBar)}`, `ᾱ_${t} = Π_{s≤${t}} (1 − β_s) = ${textNumber(at.alphaBar)}`),
    line(
      `x_{${t}} = \\sqrt{${texNumber(at.alphaBar)}}\\, x_0 + \\sqrt{1 - ${texNumber(at.alphaBar)}}\\, \\epsilon = ${texNumber(at.signalStd)}\\, x_0 + ${texNumber(at.noiseStd)}\\, \\epsilon`,
      `x_${t} = √(${textNumber(at.alphaBar)})·x₀ + √(1 − ${textNumber(at.alphaBar)})·ε = ${textNumber(at.signalStd)}·x₀ + ${textNumber(at.noiseStd)}·ε`,
    ),
    line(`\\operatorname{SNR}(${t}) = ${texNumber(at.snr)}`, `SNR(${t}) = ${textNumber(at.snr)}`),
  ];
}

function initLines(v: Values): readonly NoteFormula[] | string {
  const { fanIn, fanOut, L } = v as Required<Record<'fanIn' | 'fanOut' | 'L', number>>;
  const fans = { fanIn, fanOut };
  const xavier = xavierSpread(fans);
  const he = kaimingSpread(fanIn);
  const lecun = lecunSpread(fanIn);
  const fallback = pytorchDefaultSpread(fanIn);
  const perLayer = layerVarianceGain(fanIn, xavier.variance, 'relu');
  const chain = chainVarianceGain(Array.from({ length: L }, () => perLayer));
  return [
    line(`\\text{LeCun: } \\sigma = \\tfrac{1}{\\sqrt{${fanIn}}} = ${texNumber(lecun.std)}`, `LeCun: σ = 1/√${fanIn} = ${textNumber(lecun.std)}`),
    line(`\\text{Xavier: } \\sigma = \\sqrt{\\tfrac{2}{${fanIn} + ${fanOut}}} = ${texNumber(xavier.std)},\\ \\text{bound } ${texNumber(xavier.uniformBound)}`, `Xavier: σ = √(2/(${fanIn} + ${fanOut})) = ${textNumber(xavier.std)}, bound ${textNumber(xavier.uniformBound)}`),
    line(`\\text{He: } \\sigma = \\sqrt{\\tfrac{2}{${fanIn}}} = ${texNumber(he.std)},\\ \\text{bound } ${texNumber(he.uniformBound)}`, `He: σ = √(2/${fanIn}) = ${textNumber(he.std)}, bound ${textNumber(he.uniformBound)}`),
    line(`\\text{PyTorch default: } \\operatorname{Var} = \\tfrac{1}{3 \\cdot ${fanIn}} = ${texNumber(fallback.variance)}`, `PyTorch default: Var = 1/(3·${fanIn}) = ${textNumber(fallback.variance)}`),
    line(`\\text{Xavier + ReLU: } \\big(${texNumber(perLayer)}\\big)^{${L}} = ${texNumber(chain)}`, `Xavier + ReLU: ${textNumber(perLayer)}^${L} = ${textNumber(chain)}`),
  ];
}

function gradientDescentLines(v: Values): readonly NoteFormula[] | string {
  const { lmax, lmin } = v as Required<Record<'lmax' | 'lmin', number>>;
  if (lmin > lmax) return `the smallest eigenvalue (${lmin}) must not exceed the largest (${lmax})`;
  const steps = gradientDescentSteps({ lambdaMin: lmin, lambdaMax: lmax });
  return [
    line(`\\eta < \\frac{2}{${texNumber(lmax)}} = ${texNumber(steps.stableBound)},\\qquad \\eta \\le \\frac{1}{${texNumber(lmax)}} = ${texNumber(steps.monotoneBound)}`, `η < 2/${textNumber(lmax)} = ${textNumber(steps.stableBound)},  η ≤ 1/${textNumber(lmax)} = ${textNumber(steps.monotoneBound)} (monotone)`),
    line(`\\eta^* = \\frac{2}{${texNumber(lmax)} + ${texNumber(lmin)}} = ${texNumber(steps.optimalStep)},\\qquad \\rho^* = ${texNumber(steps.optimalRate)}`, `η* = 2/(${textNumber(lmax)} + ${textNumber(lmin)}) = ${textNumber(steps.optimalStep)},  ρ* = ${textNumber(steps.optimalRate)}`),
  ];
}

function adamLines(v: Values): readonly NoteFormula[] | string {
  const { t, beta1, beta2 } = v as Required<Record<'t' | 'beta1' | 'beta2', number>>;
  const c = adamBiasCorrection(beta1, beta2, t);
  return [
    line(`1 - \\beta_1^{${t}} = ${texNumber(c.firstMoment)},\\qquad 1 - \\beta_2^{${t}} = ${texNumber(c.secondMoment)}`, `1 − β₁^${t} = ${textNumber(c.firstMoment)},  1 − β₂^${t} = ${textNumber(c.secondMoment)}`),
    line(`\\hat m_{${t}} = ${texNumber(c.firstScale)}\\, m_{${t}},\\qquad \\hat v_{${t}} = ${texNumber(c.secondScale)}\\, v_{${t}}`, `m̂ = ${textNumber(c.firstScale)}·m,  v̂ = ${textNumber(c.secondScale)}·v`),
    line(`\\text{step factor } \\frac{\\sqrt{1 - \\beta_2^{${t}}}}{1 - \\beta_1^{${t}}} = ${texNumber(c.stepScale)}`, `step factor √(1 − β₂^${t})/(1 − β₁^${t}) = ${textNumber(c.stepScale)}`),
  ];
}

function klGaussianLines(v: Values): readonly NoteFormula[] | string {
  const { mu1, sigma1, mu2, sigma2 } = v as Required<Record<'mu1' | 'sigma1' | 'mu2' | 'sigma2', number>>;
  const forward = klGaussian1d(mu1, sigma1, mu2, sigma2);
  const reverse = klGaussian1d(mu2, sigma2, mu1, sigma1);
  return [
    line(
      `D_{\\mathrm{KL}}(\\mathcal N_1 \\Vert \\mathcal N_2) = \\ln\\frac{${texNumber(sigma2)}}{${texNumber(sigma1)}} + \\frac{${texNumber(sigma1)}^2 + (${texNumber(mu1)} - ${texNumber(mu2)})^2}{2 \\cdot ${texNumber(sigma2)}^2} - \\frac12 = ${texNumber(forward)}`,
      `KL(N₁ ‖ N₂) = ln(${textNumber(sigma2)}/${textNumber(sigma1)}) + (${textNumber(sigma1)}² + (${textNumber(mu1)} − ${textNumber(mu2)})²)/(2·${textNumber(sigma2)}²) − ½ = ${textNumber(forward)} nats`,
    ),
    line(`D_{\\mathrm{KL}}(\\mathcal N_2 \\Vert \\mathcal N_1) = ${texNumber(reverse)}`, `KL(N₂ ‖ N₁) = ${textNumber(reverse)} nats`),
  ];
}

/** One substituter per topic that declares parameters. */
const substituters: Readonly<Record<string, Substituter>> = {
  'conv-output-size': convOutputLines,
  'receptive-field': receptiveFieldLines,
  'conv-parameter-count': convParameterLines,
  'stacked-3x3-vs-7x7': stackedLines,
  'depthwise-separable-conv': depthwiseLines,
  'attention-complexity': attentionComplexityLines,
  'vit-attention-cost': vitLines,
  'multi-head-attention': multiHeadLines,
  'multi-query-attention': multiQueryLines,
  'diffusion-forward-process': diffusionLines,
  'weight-init-xavier-he': initLines,
  'gd-least-squares-convergence': gradientDescentLines,
  adam: adamLines,
  'kl-gaussians': klGaussianLines,
};

/** Topic ids whose derivation can be evaluated with the user's numbers. */
export const substitutableTopicIds: readonly string[] = Object.keys(substituters);

/** Checks one value against its parameter's declaration; undefined when it is acceptable. */
function parameterProblem(p: NoteParameter, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${p.name} (${p.label}) must be a finite number`;
  if (p.integer && !Number.isInteger(value)) return `${p.name} (${p.label}) must be an integer, got ${value}`;
  if (value < p.min) return `${p.name} (${p.label}) must be at least ${p.min}, got ${value}`;
  if (p.max !== undefined && value > p.max) return `${p.name} (${p.label}) must be at most ${p.max}, got ${value}`;
  return undefined;
}

/** The finite, non-NaN check every line must pass: a substitution never shows NaN or Infinity. */
const hasBadNumber = (lines: readonly NoteFormula[]): boolean => lines.some((l) => /NaN|Infinity/.test(l.tex + l.text));

/**
 * Substitutes the given values (missing ones take the parameter defaults) into a topic's derivation.
 * Unknown topics, topics without parameters, unknown parameter names and out-of-range values give errors.
 */
export function substituteTopic(topicId: string, given: Readonly<Record<string, number>> = {}): SubstitutionResult {
  const topic = findTopic(topicId);
  if (!topic) return { ok: false, error: `unknown topic '${topicId}'` };
  const substituter = substituters[topicId];
  if (!substituter || topic.parameters.length === 0) return { ok: false, error: `topic '${topicId}' has no numeric parameters to substitute` };
  const known = new Set(topic.parameters.map((p) => p.name));
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  if (unknown.length > 0) return { ok: false, error: `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (expected ${[...known].join(', ')})` };
  const values: Record<string, number> = {};
  for (const p of topic.parameters) {
    const value = given[p.name] ?? p.defaultValue;
    const problem = parameterProblem(p, value);
    if (problem) return { ok: false, error: problem };
    values[p.name] = value;
  }
  const lines = substituter(values);
  if (typeof lines === 'string') return { ok: false, error: lines };
  if (hasBadNumber(lines)) return { ok: false, error: 'these values overflow the formula (a result is not a finite number)' };
  return { ok: true, substitution: { values, lines } };
}
