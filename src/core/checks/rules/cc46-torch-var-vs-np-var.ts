// CC-46: torch's unbiased var/std (correction=1) and numpy's biased var/std (ddof=0) in the same
// statement, neither with an explicit correction: they differ by n/(n−1). A query over the evaluated calls:
// the callee says which library computes (`torch.var`, `Tensor.std` vs `numpy.var`, `ndarray.std`), so a
// method counts by what its receiver is, not by how the code spells it; a receiver the analysis cannot
// know is neither.
import type { Stmt } from '../../python/ast';
import { defineRule } from '../rule';
import { calledName } from '../../python/syntax';
import type { RecordedCall } from '../facts/recorder';
import type { RuleReport } from '../types';

type Library = 'numpy' | 'torch';

// Each library's estimators and the keywords that make its correction explicit.
const ESTIMATORS: readonly { readonly library: Library; readonly callee: RegExp; readonly explicit: readonly string[] }[] = [
  { library: 'torch', callee: /^(torch|Tensor)\.(var|std)$/, explicit: ['unbiased', 'correction'] },
  { library: 'numpy', callee: /^(numpy\.(var|std|nanvar|nanstd)|ndarray\.(var|std))$/, explicit: ['ddof'] },
];

/** The library whose default-corrected estimator a call runs, if it is one. */
function libraryOf(c: RecordedCall): Library | undefined {
  if (c.callee.kind !== 'builtin') return undefined;
  const name = c.callee.name;
  const estimator = ESTIMATORS.find((e) => e.callee.test(name));
  if (!estimator || estimator.explicit.some((k) => c.args.keywords.has(k))) return undefined;
  // torch.var(input, dim, unbiased) / np.var(a, axis, dtype, out, ddof): a positional correction is explicit too.
  const explicitPosition = estimator.library === 'torch' ? (name.startsWith('torch.') ? 2 : 1) : name.startsWith('numpy.') ? 4 : 3;
  return c.args.positional.length > explicitPosition ? undefined : estimator.library;
}

export const cc46 = defineRule('CC-46', (context) => {
  const facts = context.facts();
  const byStatement = new Map<Stmt, Map<Library, RecordedCall>>();
  for (const c of facts.localCalls) {
    const library = libraryOf(c);
    const statement = library ? facts.ancestorsOf(c).at(-1) : undefined;
    if (!library || !statement) continue;
    const kinds = byStatement.get(statement) ?? new Map<Library, RecordedCall>();
    if (!kinds.has(library)) kinds.set(library, c);
    byStatement.set(statement, kinds);
  }
  const reports: RuleReport[] = [];
  for (const kinds of byStatement.values()) {
    const torchCall = kinds.get('torch');
    if (!torchCall || !kinds.has('numpy')) continue;
    reports.push({
      message: `${calledName(torchCall.expr)}() here is torch's unbiased estimator (÷(n−1)) while numpy's is biased (÷n): the two differ by a factor n/(n−1). Pass correction= / ddof= explicitly.`,
      range: torchCall.expr.r,
    });
  }
  return reports.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
});
