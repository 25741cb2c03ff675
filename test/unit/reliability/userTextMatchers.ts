// Every place in src/ where a regular expression meets text a user (or a file) controls, as a function of
// one line, with the adversarial lines that made the old patterns backtrack quadratically. The linear-time
// test runs each on each line; `npm run bench` reports their timings (target: under 50 ms on 1 MB).
// The lint rules regexp/no-super-linear-backtracking and regexp/no-super-linear-move guard every literal.
import { calculators } from '../../../src/core/calculators';
import { ignoreCommentEdit, runChecks, suppressionsOf } from '../../../src/core/checks';
import { SourceText } from '../../../src/core/checks/source';
import { variableHover } from '../../../src/core/editor/hover';
import { directiveAbove, parseInputDirective } from '../../../src/core/editor/modelInputs';
import { parseShapeAnnotation } from '../../../src/core/editor/shapeComments';
import { inputsFromComment } from '../../../src/core/analysis/summary';
import { parseShape } from '../../../src/core/analysis/modelSetup';
import { parseAssignments } from '../../../src/cli/commands/calc';
import { parseLayerStack } from '../../../src/core/calculators/receptiveField';
import { parseInput } from '../../../src/core/calculators/inputs';
import type { InputSpec } from '../../../src/core/calculators/types';
import { createSession } from '../../../src/core/interp/session';
import { tupleV } from '../../../src/core/interp/values';
import { str } from '../../../src/core/values';

const AT = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The interpreter's str methods that match patterns, and `%` formatting, on the line as a Python string. */
function strMethods(line: string): unknown[] {
  const { interp } = createSession({ budget: { ms: 60_000 } });
  const s = str(line);
  const calls = ['split', 'rsplit', 'title', 'isdigit', 'isalpha', 'format', 'strip'].map((name) => interp.call(interp.getAttr(s, name, AT), { positional: [], keywords: new Map() }, AT));
  return [...calls, interp.binary('%', s, tupleV([]), AT)];
}

/** One input of each kind the calculators declare (the quick input validates them on the main thread). */
const INPUT_SPECS: readonly InputSpec[] = [...new Map(calculators.flatMap((c) => c.inputs).map((spec) => [`${spec.kind}:${JSON.stringify(spec.rule ?? {})}`, spec])).values()];

/** One megabyte of `unit` repeated, optionally ending with `tail`. */
export const megabyteOf = (unit: string, tail = ''): string => unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000 - tail.length) + tail;

/** Lines that defeat a backtracking matcher: unclosed openers, long runs a later token must end, near-misses. */
export const ADVERSARIAL_LINES: Readonly<Record<string, string>> = {
  'unclosed [': megabyteOf('['),
  'unclosed (': megabyteOf('('),
  '#[ repeated': megabyteOf('#['),
  'input directives, unclosed': megabyteOf('# ml-notes: input=['),
  'ignore lists, unclosed': megabyteOf('# ml-notes: ignore['),
  'shape comments, unclosed': megabyteOf('# shape: ('),
  'blanks then x': megabyteOf(' ', 'x'),
  'tabs and blanks then !': megabyteOf('\t ', '!'),
  'digits then x': megabyteOf('0', 'x'),
  'number-like': megabyteOf('1.', 'e'),
  'percent formats': megabyteOf('%0'),
  'identifier then =': megabyteOf('a', '=!'),
  'braces': megabyteOf('{'),
  'commas': megabyteOf(', '),
};

/** What each matcher does with a line (results are returned so the work is not optimised away). */
export const USER_TEXT_MATCHERS: Readonly<Record<string, (line: string) => unknown>> = {
  'checks: # ml-notes: ignore suppressions': (line) => suppressionsOf(new SourceText(line)),
  'quick fix: add to an ignore list (main thread)': (line) => ignoreCommentEdit(line, 0, 'CC-01'),
  'shape comment (# [B, C, H, W])': (line) => parseShapeAnnotation(line),
  'input directive value': (line) => parseInputDirective(line),
  'input directive above a class': (line) => directiveAbove([line, 'class M:'], 1),
  'summary: # ml-notes: input= in the file': (line) => inputsFromComment(line),
  'CLI --input shape': (line) => parseShape(line),
  'hover: word and assignment under the cursor (main thread)': (line) =>
    variableHover([{ name: 'a', statement: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, scope: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, shapes: ['[1]'] }], { line: 0, character: Math.floor(line.length / 2) }, line),
  'calculator inputs, one of each kind (main thread)': (line) => INPUT_SPECS.map((spec) => parseInput(spec, line)),
  'calculator: receptive-field stack': (line) => parseLayerStack(line),
  'CLI calc key=value': (line) => parseAssignments([`k=${line}`, line]),
  'checks on a file whose one comment is the line': (line) => runChecks({ path: '/w/line.py', text: `# ${line}\n` }).findings.length,
  'interpreter: str methods and % on the line': strMethods,
};
