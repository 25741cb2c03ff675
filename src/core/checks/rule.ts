// Builds a rule from the notes' check table (src/core/notes/codeChecks.ts), the single source of each
// check's slug, default severity and cited topic, plus the rule's own `run`.
import { codeChecks } from '../notes/codeChecks';
import type { Rule, RuleContext, RuleReport } from './types';

export function defineRule(id: string, run: (context: RuleContext) => RuleReport[]): Rule {
  const info = codeChecks.find((c) => c.id === id);
  if (!info) throw new Error(`unknown check id ${id}`);
  if (info.retired) throw new Error(`${id} is retired: ${info.retired}`);
  return { id, slug: info.slug, severity: info.severity, topic: info.cites[0] ?? 'training-loop-debugging', run };
}
