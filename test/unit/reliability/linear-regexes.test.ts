// Regular expressions on user text run in linear time (issue 15, item 3): every matcher of
// userTextMatchers.ts answers on every 1 MB adversarial line. The bound here is deliberately loose (a
// quadratic pattern takes minutes on 1 MB, a linear one milliseconds); `npm run bench` reports the timings
// against the 50 ms target. The patterns themselves are checked by the regexp/ lint rules.
import { describe, expect, it } from 'vitest';
import { bracketGroups, withoutBracketGroups } from '../../../src/core/brackets';
import { ignoreCommentEdit } from '../../../src/core/checks';
import { parseShapeAnnotation } from '../../../src/core/editor/shapeComments';
import { parseInputDirective } from '../../../src/core/editor/modelInputs';
import { inputsFromComment } from '../../../src/core/analysis/summary';
import { ADVERSARIAL_LINES, USER_TEXT_MATCHERS } from './userTextMatchers';

/**
 * A hundred times the target: a quadratic matcher takes minutes on 1 MB, a linear one milliseconds quiet and
 * up to about a second on the shared two-core machine at a load average of 15 (1,070 ms was seen there).
 */
const LOOSE_BOUND_MS = 5000;

describe('every regular expression on user text is linear on 1 MB adversarial lines', () => {
  it.each(Object.entries(USER_TEXT_MATCHERS))('%s', (_name, match) => {
    const slow: string[] = [];
    for (const [lineName, line] of Object.entries(ADVERSARIAL_LINES)) {
      // The fastest of up to three runs: a pause of the shared machine slows one run, a super-linear matcher every run.
      let ms = Infinity;
      for (let run = 0; run < 3 && ms > LOOSE_BOUND_MS; run++) {
        const started = performance.now();
        match(line);
        ms = Math.min(ms, performance.now() - started);
      }
      if (ms > LOOSE_BOUND_MS) slow.push(`${lineName}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  }, 120_000);
});

describe('the linear replacements mean what the patterns meant', () => {
  it('bracketGroups finds what /[[(]([^\\])]*)[\\])]/g found', () => {
    const pattern = /[[(]([^\])]*)[\])]/g;
    for (const text of ['[1, 3] (B, T) long', '[[1, 2]', 'x [a) (b] [', '(((', ']][[', '[1, (2, 3], 4]', '']) {
      expect(bracketGroups(text).map((g) => g.inner)).toEqual([...text.matchAll(pattern)].map((m) => m[1]));
      expect(withoutBracketGroups(text, bracketGroups(text))).toBe(text.replace(pattern, ''));
    }
  });

  it('directives, shape comments and ignore lists parse as before', () => {
    expect(parseInputDirective('[1, 3, 224, 224], [1, 16] long')).toEqual({ shapes: ['1,3,224,224', '1,16'], dtype: 'long' });
    expect(parseInputDirective('[[[[')).toBeUndefined();
    expect(inputsFromComment('x = 1\n# ml-notes: inputs = [1, 16] [2 ,3]\n')).toEqual(['1,16', '2,3']);
    expect(parseShapeAnnotation('x = f(x)  # -> [B, 64, H/2]')).toEqual({ dims: ['B', '64', 'H/2'], start: 10, end: 27 });
    expect(parseShapeAnnotation('x = 1  # see [1]: notes')).toBeUndefined();
    expect(parseShapeAnnotation('x = 1  # note #[B]')).toBeUndefined();
    expect(ignoreCommentEdit('f()  # ml-notes: ignore[CC-01]', 3, 'CC-36')).toEqual({ range: { start: { line: 3, character: 29 }, end: { line: 3, character: 29 } }, newText: ', CC-36' });
    expect(ignoreCommentEdit('f()', 0, 'CC-36').newText).toBe('  # ml-notes: ignore[CC-36]');
  });
});
