// Builds a rule from the notes' check table (src/core/notes/codeChecks.ts), the single source of each
// check's slug, default severity and cited topic, plus the rule's own `run`.
import { codeChecks } from '../notes/codeChecks';
import type { FileWideSteps, Rule, RuleContext, RuleReport } from './types';

export function defineRule(id: string, run: (context: RuleContext) => RuleReport[]): Rule {
  const info = codeChecks.find((c) => c.id === id);
  if (!info) throw new Error(`unknown check id ${id}`);
  if (info.retired) throw new Error(`${id} is retired: ${info.retired}`);
  return { id, slug: info.slug, severity: info.severity, topic: info.cites[0] ?? 'training-loop-debugging', run };
}

/** A rule whose findings relate code anywhere in the file (see FileWideSteps): collected per check unit, reported once. */
export function defineFileWideRule<Part>(id: string, steps: FileWideSteps<Part>): Rule {
  return { ...defineRule(id, (context) => steps.report([steps.collect(context)])), fileWide: steps };
}
