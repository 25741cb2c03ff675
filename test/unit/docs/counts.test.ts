// The counts README.md and ARCHITECTURE.md state are the product's own: each is read from the text and
// compared with what it counts, so a layer, op or topic added without updating the documents fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerNames, opNames } from '../../../src/core/frameworks/torch';
import { topics } from '../../../src/core/notes';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The real-world corpus the oracle compares with PyTorch (test/corpus/models.json) and its known gaps. */
interface CorpusEntry {
  readonly file?: string;
  readonly installed?: string;
}
const readCorpusJson = <T>(name: string): T => JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'corpus', name), 'utf8')) as T;
const corpusModels = (): readonly CorpusEntry[] => readCorpusJson<{ entries: CorpusEntry[] }>('models.json').entries;
/** A model's file: copied from a Debian source package (`file`) or read from an installed package (`installed`). */
const corpusFiles = (): Set<string> => new Set(corpusModels().map((e) => (e.file !== undefined ? `file:${e.file}` : `installed:${e.installed ?? ''}`)));
const torchvisionModelFiles = (): number => [...corpusFiles()].filter((f) => f.startsWith('installed:torchvision/models/')).length;

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
  { document: 'README.md', pattern: /On (\d+) models from \d+ files/, what: 'models of the real-world corpus', actual: () => corpusModels().length },
  { document: 'README.md', pattern: /On \d+ models from (\d+) files/, what: 'files of the real-world corpus', actual: () => corpusFiles().size },
  { document: 'README.md', pattern: /(\d+) of them torchvision's own model files/, what: "torchvision's model files in the corpus", actual: torchvisionModelFiles },
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

describe('claims the documents make about the corpus', () => {
  it("README's \"every call … equals PyTorch's\" holds only while the corpus has no known gap", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/unedited — every call's output\s+shape, parameter count and MAC count equals PyTorch's/);
    expect(readCorpusJson<{ gaps: unknown[] }>('known-gaps.json').gaps).toEqual([]);
  });
});
