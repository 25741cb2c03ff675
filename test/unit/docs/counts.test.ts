// The counts README.md and ARCHITECTURE.md state are the product's own: each is read from the text and
// compared with what it counts, so a layer, op or topic added without updating the documents fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerNames, opNames } from '../../../src/core/frameworks/torch';
import { topics } from '../../../src/core/notes';

const REPO_ROOT = join(__dirname, '..', '..', '..');

interface StatedCount {
  readonly document: 'README.md' | 'ARCHITECTURE.md';
  /** Where the number stands: the first capture group is the number. */
  readonly pattern: RegExp;
  readonly what: string;
  readonly actual: () => number;
}

const STATED_COUNTS: readonly StatedCount[] = [
  { document: 'README.md', pattern: /a catalogue of (\d+) layers and \d+ ops/, what: 'layer names the torch catalogue answers', actual: () => layerNames().length },
  { document: 'README.md', pattern: /a catalogue of \d+ layers and (\d+) ops/, what: 'op names the torch catalogue answers', actual: () => opNames().length },
  { document: 'README.md', pattern: /\*\*The notes\*\*: (\d+) topics/, what: 'topics of the notes', actual: () => topics.length },
  { document: 'ARCHITECTURE.md', pattern: /The notes: (\d+) topics/, what: 'topics of the notes', actual: () => topics.length },
];

describe('counts stated in the documents', () => {
  for (const stated of STATED_COUNTS) {
    it(`${stated.document} states the number of ${stated.what}`, () => {
      const match = stated.pattern.exec(readFileSync(join(REPO_ROOT, stated.document), 'utf8'));
      expect(match, `${stated.pattern} not found in ${stated.document}`).not.toBeNull();
      expect(Number(match?.[1])).toBe(stated.actual());
    });
  }
});
