// CC-21: decoder or autoregressive self-attention with no causal mask: scaled_dot_product_attention in a
// decoder/GPT-style module without is_causal=True or attn_mask, or an nn.TransformerDecoder(Layer) called
// without tgt_mask / tgt_is_causal. Training then leaks the future tokens each position should predict.
// A target made of learned queries (module parameters, not data) is a set, not a sequence: no finding.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import { fromData, layerName } from '../facts/models';

/** Classes whose self-attention should be causal (a heuristic, as the catalogue says). */
const AUTOREGRESSIVE = /decoder|gpt|causal|autoregressive|(^|_)lm($|_)|languagemodel/i;

const SEQ2SEQ = /seq2seq|translat|captioning/i;

const given = (v: Value | undefined): boolean => v !== undefined && v.kind !== 'none';

export const cc21 = defineRule('CC-21', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.localCalls) {
    if (seen.has(c.expr)) continue;
    if (c.callee.kind === 'builtin' && /(^|\.)scaled_dot_product_attention$/.test(c.callee.name)) {
      const owner = [...c.context.functions].reverse().find((f) => f.fn.definingClass)?.fn.definingClass;
      if (!owner || !AUTOREGRESSIVE.test(owner.name)) continue;
      const causal = c.args.keywords.get('is_causal') ?? c.args.positional[5];
      const mask = c.args.keywords.get('attn_mask') ?? c.args.positional[3];
      // A causal flag the analysis cannot read (a parameter) may be True.
      if (given(mask) || (causal && !(causal.kind === 'bool' && !causal.value))) continue;
      seen.add(c.expr);
      reports.push({
        message: `${owner.name} reads as a decoder, but this scaled_dot_product_attention has neither is_causal=True nor an attn_mask: each position attends to the tokens it should predict.`,
        range: c.expr.r,
      });
    } else if (facts.isModule(c.callee) && /^TransformerDecoder(Layer)?$/.test(layerName(c.callee))) {
      // A sequence-to-sequence or language model (by the catalogue's name signals), not a layer exercised alone.
      const owner = [...c.context.functions].reverse().find((f) => f.fn.definingClass)?.fn.definingClass;
      if (!owner || !(AUTOREGRESSIVE.test(owner.name) || SEQ2SEQ.test(owner.name))) continue;
      const mask = c.args.keywords.get('tgt_mask') ?? c.args.positional[2];
      const causal = c.args.keywords.get('tgt_is_causal');
      if (given(mask) || (causal && !(causal.kind === 'bool' && !causal.value))) continue;
      // Learned queries as the target (ML-Decoder's class queries, DETR's object queries) are a set, not a
      // sequence to predict: there is no future to hide.
      if (!fromData(facts, c.args.keywords.get('tgt') ?? c.args.positional[0])) continue;
      seen.add(c.expr);
      reports.push({
        message: `${layerName(c.callee)} is called without tgt_mask (or tgt_is_causal=True): decoder self-attention sees the whole target. Pass tgt_mask=nn.Transformer.generate_square_subsequent_mask(T).`,
        range: c.expr.r,
      });
    }
  }
  return reports;
});
