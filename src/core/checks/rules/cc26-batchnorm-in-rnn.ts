// CC-26: BatchNorm applied inside the per-time-step loop of a recurrent cell's forward.
import { defineRule } from '../rule';
import { torchClassOfCall } from '../models';
import { isCall, isSelfAttr, walkBodyExprs, walkStmts } from '../../python/syntax';
import type { RuleReport } from '../types';

const CELL = /^(RNNCell|LSTMCell|GRUCell)$/;
const BATCH_NORM = /^BatchNorm[123]d$/;

export const cc26 = defineRule('CC-26', (context) => {
  const reports: RuleReport[] = [];
  for (const info of context.classes.classes) {
    const forward = info.forward;
    if (!forward || ![...info.attributes.values()].some((v) => CELL.test(torchClassOfCall(v) ?? ''))) continue;
    walkStmts(forward.body, (s) => {
      if (s.k !== 'for' && s.k !== 'while') return;
      walkBodyExprs(s.body, (e) => {
        if (!isCall(e) || !isSelfAttr(e.fn) || !BATCH_NORM.test(torchClassOfCall(info.attributes.get(e.fn.name)) ?? '')) return;
        reports.push({
          message: `self.${e.fn.name} is a BatchNorm applied at every time step of the recurrence: the statistics are shared across steps with different distributions. Normalise the recurrent state with LayerNorm instead.`,
          range: e.r,
        });
      });
    });
  }
  return reports;
});
