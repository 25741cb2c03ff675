// The AST and the statements' facts outlive the document text they were made from (a statement an edit does not touch
// keeps them): they must not keep that text alive. V8 makes a slice of 13 or more characters a view into its whole
// string, so an AST holding slices kept one whole document per edited statement.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { fileIndex } from '../../../src/core/analysis/dependencies';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** A 200 KB document: a long comment, then one statement whose names are longer than 13 characters. */
const documentText = (i: number): string => `${'#'.repeat(200_000)}\nlong_variable_name_${i} = some_function_name(another_argument_name_${i}, "a string literal ${i}")\n`;

describe('what is kept of a parse', () => {
  it("keeps no document text alive: 30 documents of 200 KB, their statements kept with the facts the file index keeps of each", () => {
    const kept: unknown[] = [];
    const before = heapAfterGc();
    for (let i = 0; i < 30; i++) {
      const text = documentText(i);
      const module = parseDocument(text).module;
      fileIndex(module, text);
      // The statements outlive their module (an edit elsewhere keeps them in the next version's), and the facts the
      // index keeps of each statement (its source and names) live as long as the statement.
      kept.push(module.body);
    }
    const grown = heapAfterGc() - before;
    // The texts are 6 MB together; what is kept of each is a few hundred bytes.
    expect(grown).toBeLessThan(1_500_000);
    expect(kept).toHaveLength(30);
  });
});
