// `ml-notes notes`: the notes in a terminal. Without an id it lists the topics grouped by area (or as JSON);
// with an id it prints one topic in Unicode math, its derivation numbered with justifications, and — when
// NAME=VALUE pairs follow — the derivation evaluated with those numbers.
import type { CliCommandImplementation, CliResult } from '../types';
import { usageError } from '../types';
import { areas, findTopic, substituteTopic, suggestTopicIds, topics, topicsByArea } from '../../core/notes';
import type { NoteTopic } from '../../core/notes/types';
import { texToText } from '../../core/notes/plainText';

const USAGE = 'ml-notes notes [--json] | ml-notes notes ID [NAME=VALUE ...] [--json]';
const WRAP_WIDTH = 100;

const ok = (stdout: string): CliResult => ({ stdout, stderr: '', code: 0 });

/** Greedy word wrap with a hanging indent, so summaries stay readable in an 80–100 column terminal. */
function wrap(text: string, indent: string, width = WRAP_WIDTH): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (current.length > 0 && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current);
      current = word;
    } else current = current.length > 0 ? `${current} ${word}` : word;
  }
  if (current.length > 0) lines.push(indent + current);
  return lines.join('\n');
}

function listJson(): string {
  const rows = topics.map((t) => ({ id: t.id, area: t.area, title: t.title, derivation_steps: t.derivation.length }));
  return `${JSON.stringify({ topics: rows }, null, 2)}\n`;
}

function listText(): string {
  const idWidth = Math.max(...topics.map((t) => t.id.length));
  const blocks = areas.map((area) => {
    const inArea = topicsByArea(area.id);
    const rows = inArea.map((t) => {
      const steps = t.derivation.length > 0 ? `  [${t.derivation.length} step${t.derivation.length === 1 ? "" : "s"}]` : "";
      return `  ${t.id.padEnd(idWidth)}  ${t.title}${steps}`;
    });
    return [`${area.title} (${inArea.length})`, ...rows].join('\n');
  });
  const withDerivation = topics.filter((t) => t.derivation.length > 0).length;
  return `${blocks.join('\n\n')}\n\n${topics.length} topics, ${withDerivation} with derivations. Run \`ml-notes notes ID\` to read one.\n`;
}

function section(title: string, body: readonly string[]): string[] {
  return body.length > 0 ? ['', title, ...body] : [];
}

function topicText(topic: NoteTopic, substitutionLines: readonly string[]): string {
  const area = areas.find((a) => a.id === topic.area)?.title ?? topic.area;
  const width = String(topic.derivation.length).length;
  const steps = topic.derivation.flatMap((step, i) => [
    `  ${String(i + 1).padStart(width)}. ${texToText(step.tex)}`,
    wrap(`— ${step.why}`, ' '.repeat(width + 4)),
  ]);
  const links = [
    topic.checks.length > 0 ? `  checks:      ${topic.checks.join(', ')}` : '',
    topic.calculators.length > 0 ? `  calculators: ${topic.calculators.join(', ')}` : '',
    topic.simulations.length > 0 ? `  simulations: ${topic.simulations.join(', ')}` : '',
    topic.related.length > 0 ? `  related:     ${topic.related.join(', ')}` : '',
  ].filter((l) => l.length > 0);
  const parameters = topic.parameters.map((p) => `  ${p.name} = ${p.defaultValue}  (${p.label})`);
  return [
    `${topic.title}`,
    `${topic.id} · ${area} · confidence: ${topic.confidence}`,
    '',
    wrap(topic.summary, ''),
    ...section('Formulas', topic.formulas.map((f) => `  ${f.text}${f.label ? `   [${f.label}]` : ''}`)),
    ...section(topic.derivation.length > 0 ? 'Derivation' : 'Derivation: not applicable (conceptual topic)', steps),
    ...section('With your numbers', substitutionLines.map((l) => `  ${l}`)),
    ...section('Caveats', topic.caveats.map((c) => wrap(c, '    ').replace(/^ {4}/, '  • '))),
    ...section('Links', links),
    ...section(`Parameters (pass NAME=VALUE to substitute)`, substitutionLines.length > 0 ? [] : parameters),
  ].join('\n') + '\n';
}

/** Parses `NAME=VALUE` pairs; returns the first malformed one as an error. */
function parseAssignments(args: readonly string[]): { values: Record<string, number> } | { error: string } {
  const values: Record<string, number> = {};
  for (const arg of args) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(arg);
    if (!match) return { error: `expected NAME=VALUE, got '${arg}'` };
    const value = Number(match[2]);
    if (match[2]!.trim() === '' || !Number.isFinite(value)) return { error: `${match[1]} must be a finite number, got '${match[2]}'` };
    values[match[1]!] = value;
  }
  return { values };
}

function showTopic(id: string, assignments: readonly string[], json: boolean): CliResult {
  const topic = findTopic(id);
  if (!topic) {
    const close = suggestTopicIds(id);
    const hint = close.length > 0 ? ` (did you mean: ${close.join(', ')}?)` : ' (run `ml-notes notes` for the list)';
    return usageError(`unknown topic '${id}'${hint}`);
  }
  let substitutionLines: readonly string[] = [];
  let substitution: unknown;
  if (assignments.length > 0) {
    const parsed = parseAssignments(assignments);
    if ('error' in parsed) return usageError(parsed.error);
    const result = substituteTopic(topic.id, parsed.values);
    if (!result.ok) return usageError(`${topic.id}: ${result.error}`);
    substitutionLines = result.substitution.lines.map((l) => l.text);
    substitution = result.substitution;
  }
  if (json) return ok(`${JSON.stringify(substitution === undefined ? { topic } : { topic, substitution }, null, 2)}\n`);
  return ok(topicText(topic, substitutionLines));
}

export const notesCommand: CliCommandImplementation = {
  usage: USAGE,
  run(args) {
    const json = args.includes('--json');
    const unknownFlag = args.find((a) => a.startsWith('-') && a !== '--json');
    if (unknownFlag !== undefined) return usageError(`unknown option '${unknownFlag}' (usage: ${USAGE})`);
    const positional = args.filter((a) => a !== '--json');
    if (positional.length === 0) return ok(json ? listJson() : listText());
    const [id, ...assignments] = positional;
    return showTopic(id!, assignments, json);
  },
};
