// Re-running only what an edit touches (issue 16), the module scope and the view: an analyzer answers a document's
// module scope with its last analysis when running the module again would do the same (only function bodies of
// definitions no module-level code reaches changed, nothing moved, the files it read are the same), and the view
// keeps what it rendered from a model part the edit did not touch. Every test compares the warm answer with a fresh
// analyzer's on the same text. Parameter counts are worked by hand: Linear(i, o) has i*o + o parameters.
import { describe, expect, it, vi } from 'vitest';
import { fileIndex, sameModuleScope } from '../../../src/core/analysis/dependencies';
import { createAnalyzer, parseDocument, type FileAnalysis } from '../../../src/core/index';
import type { ParsedDocument } from '../../../src/core/python/parse';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { forwardAnnotations } from '../../../src/core/editor/annotationChecks';

const PATH = '/ws/models.py';
const HEADER = 'import torch\nimport torch.nn as nn\n\n';

const TWO_MODELS = `${HEADER}class A(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.fc = nn.Linear(4, width)

    def forward(self, x):
        return self.fc(x)


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 5), nn.ReLU())

    def forward(self, x):
        y = self.body(x)
        return y
`;

type Analyzer = ReturnType<typeof createAnalyzer>;

function moduleScope(analyzer: Analyzer, text: string, files: Record<string, string> = {}): { readonly info: FileAnalysis; readonly reused: boolean } {
  const before = analyzer.counts.moduleScopesReused;
  const info = analyzer.analyzeFile({ path: PATH, text, readFile: (p) => files[p] });
  return { info, reused: analyzer.counts.moduleScopesReused > before };
}

const fresh = (text: string, files: Record<string, string> = {}): FileAnalysis => createAnalyzer().analyzeFile({ path: PATH, text, readFile: (p) => files[p] });

/** Each analyzer's last parse: the editor parses an edited text incrementally, which keeps untouched statements' objects. */
const PARSES = new WeakMap<Analyzer, ParsedDocument>();

function editorAnswer(analyzer: Analyzer, text: string): EditorAnalysis {
  const parsed = parseDocument(text, PARSES.get(analyzer));
  PARSES.set(analyzer, parsed);
  return analyzeForEditor(analyzer, parsed.module, { path: PATH, text, parsed, readFile: () => undefined, checks: { disabled: [] } });
}

const withoutTime = ({ elapsedMs: _elapsed, ...rest }: EditorAnalysis): Omit<EditorAnalysis, 'elapsedMs'> => rest;

describe("a document's module scope after an edit", () => {
  it('is the last analysis when only a method body of a model changed, as a fresh analysis gives it', () => {
    const analyzer = createAnalyzer();
    moduleScope(analyzer, TWO_MODELS);
    const edited = TWO_MODELS.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)');
    const warm = moduleScope(analyzer, edited);
    expect(warm.reused).toBe(true);
    expect(warm.info).toEqual(fresh(edited));
    // The editor's whole answer is a fresh analyzer's: B ran again on the new width.
    const editor = createAnalyzer();
    editorAnswer(editor, TWO_MODELS);
    const answer = editorAnswer(editor, edited);
    expect(withoutTime(answer)).toEqual(withoutTime(editorAnswer(createAnalyzer(), edited)));
    expect(answer.models.find((m) => m.className === 'B')?.params).toBe(3 * 6 + 6);
  });

  it('is decided without reading the lines of either text again (their line starts are kept with each index)', () => {
    const edited = TWO_MODELS.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)');
    const [before, after] = [TWO_MODELS, edited].map((t) => fileIndex(parseDocument(t).module, t));
    const lineStarts = (t: string): number[] => [0, ...[...t.matchAll(/\n/g)].map((m) => m.index + 1)];
    const search = vi.spyOn(String.prototype, 'indexOf');
    try {
      expect(sameModuleScope(before!, after!)).toBe(true);
      expect(search).not.toHaveBeenCalled();
    } finally {
      search.mockRestore();
    }
    expect([before!.offsets, after!.offsets]).toEqual([lineStarts(TWO_MODELS), lineStarts(edited)]);
  });

  it('is analysed again when a method header changed (a default decides whether the class builds without arguments)', () => {
    const analyzer = createAnalyzer();
    expect(moduleScope(analyzer, TWO_MODELS).info.classes.find((c) => c.name === 'A')?.constructibleWithoutArgs).toBe(true);
    // Same length, same lines: only the header differs.
    const edited = TWO_MODELS.replace('width=8', 'width  ');
    const warm = moduleScope(analyzer, edited);
    expect(warm.reused).toBe(false);
    expect(warm.info.classes.find((c) => c.name === 'A')?.constructibleWithoutArgs).toBe(false);
    expect(warm.info).toEqual(fresh(edited));
  });

  it('is analysed again when module-level code runs the edited class', () => {
    // The script calls A with a [2, 4] input: Linear(4, 8) takes it; Linear(5, 8) raises at the call.
    const script = `${TWO_MODELS}\nout = A()(torch.randn(2, 4))\n`;
    const analyzer = createAnalyzer();
    expect(moduleScope(analyzer, script).info.errors).toEqual([]);
    const edited = script.replace('nn.Linear(4, width)', 'nn.Linear(5, width)');
    const warm = moduleScope(analyzer, edited);
    expect(warm.reused).toBe(false);
    expect(warm.info.errors.length).toBeGreaterThan(0);
    expect(warm.info).toEqual(fresh(edited));
  });

  it('is analysed again when statements moved', () => {
    const analyzer = createAnalyzer();
    moduleScope(analyzer, TWO_MODELS);
    // One more blank line before B: no statement's text changed, B is a line lower (line 12 before).
    const edited = TWO_MODELS.replace('\nclass B', '\n\nclass B');
    const warm = moduleScope(analyzer, edited);
    expect(warm.reused).toBe(false);
    expect(warm.info.classes.map((c) => c.range.start.line)).toEqual([3, 13]);
    expect(warm.info).toEqual(fresh(edited));
  });

  it('is analysed again when a file it read changed, and reads those files again when reused', () => {
    // Module-level code reads WIDTH: with WIDTH = 3 the script's Linear(4, 2) takes its [1, 4] input, with 4 it raises.
    const text = `${HEADER}from blocks import WIDTH\n\nout = nn.Linear(WIDTH + 1, 2)(torch.randn(1, 4))\n\n${TWO_MODELS.slice(HEADER.length)}`;
    const analyzer = createAnalyzer();
    expect(moduleScope(analyzer, text, { '/ws/blocks.py': 'WIDTH = 3\n' }).info.errors).toEqual([]);
    const edited = text.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)');
    const read: string[] = [];
    const same = analyzer.analyzeFile({ path: PATH, text: edited, readFile: (p) => (read.push(p), p === '/ws/blocks.py' ? 'WIDTH = 3\n' : undefined) });
    expect(analyzer.counts.moduleScopesReused).toBe(1);
    expect(read).toContain('/ws/blocks.py');
    expect(same).toEqual(fresh(edited, { '/ws/blocks.py': 'WIDTH = 3\n' }));
    const changed = moduleScope(analyzer, edited, { '/ws/blocks.py': 'WIDTH = 4\n' });
    expect(changed.reused).toBe(false);
    expect(changed.info.errors.length).toBeGreaterThan(0);
    expect(changed.info).toEqual(fresh(edited, { '/ws/blocks.py': 'WIDTH = 4\n' }));
  });
});

describe('the view after an edit in another model', () => {
  it("keeps the untouched model's rendered sites, entry hints and call diagnostics as objects, equal to a fresh view", () => {
    // B's Sequential entries get hints and its forward a variable site; A, fed a [2, 3] input by the file's call, a shape error.
    const text = `${TWO_MODELS}\n\ndef main():\n    A()(torch.randn(2, 3))\n`;
    const analyzer = createAnalyzer();
    const first = editorAnswer(analyzer, text);
    const edited = text.replace('nn.Linear(3, 5)', 'nn.Linear(3, 7)');
    const second = editorAnswer(analyzer, edited);
    expect(withoutTime(second)).toEqual(withoutTime(editorAnswer(createAnalyzer(), edited)));
    // A (untouched): its error and its variable site are the same objects; B (edited) has new entry hints.
    const aError = (a: EditorAnalysis) => a.diagnostics.find((d) => d.code === 'shape' && d.range.start.line < 12);
    expect(aError(first)).toBeDefined();
    expect(aError(second)).toBe(aError(first));
    const bEntries = (a: EditorAnalysis) => a.hints.filter((h) => h.kind === 'entry');
    // Linear(3, 7) then ReLU on B's symbolic batch.
    expect(bEntries(second).map((h) => h.label)).toEqual(['→ [B, 7]', '→ [B, 7]']);
    expect(bEntries(second)[0]).not.toBe(bEntries(first)[0]);
    // An edit in A leaves B's entry hints and B's variable site as they were.
    const third = editorAnswer(analyzer, edited.replace('return self.fc(x)', 'return self.fc(x) '));
    expect(bEntries(third)[0]).toBe(bEntries(second)[0]);
    const ySite = (a: EditorAnalysis) => a.variables.find((v) => v.name === 'y');
    expect(ySite(third)).toBeDefined();
    expect(ySite(third)).toBe(ySite(second));
    // Module sites: A's Linear kept from the first answer to the second (B edited), B's Sequential from the second to the third.
    const site = (a: EditorAnalysis, model: string, path: string) => a.modules.find((m) => m.model === model && m.report.path === path);
    expect(site(first, 'A()', 'fc')?.report.type).toBe('Linear');
    expect(site(second, 'A()', 'fc')).toBe(site(first, 'A()', 'fc'));
    expect(site(third, 'B()', 'body')).toBe(site(second, 'B()', 'body'));
    expect(site(third, 'A()', 'fc')).not.toBe(site(second, 'A()', 'fc'));
  });

  it("keeps a forward's tensor annotations while its class is unchanged, as a fresh parse reads them", () => {
    const annotated = `${HEADER}from jaxtyping import Float\nfrom torch import Tensor\n\n${TWO_MODELS.slice(HEADER.length).replace('def forward(self, x):\n        return self.fc(x)', 'def forward(self, x: Float[Tensor, "b 4"]) -> Float[Tensor, "b 8"]:\n        return self.fc(x)')}`;
    const lines = (text: string) => text.split('\n');
    const before = parseDocument(annotated);
    const first = forwardAnnotations(before.module, lines(annotated));
    expect(first.map((a) => [a.className, a.params.map((p) => p.annotation?.dims)])).toEqual([['A', [['b', '4']]]]);
    // An edit in B keeps A's statement object and its annotations; one in A's forward reads them again.
    const inB = annotated.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)');
    const afterB = parseDocument(inB, before);
    expect(forwardAnnotations(afterB.module, lines(inB))[0]).toBe(first[0]);
    const inA = inB.replace('"b 4"]', '"n 4"]');
    const afterA = forwardAnnotations(parseDocument(inA, afterB).module, lines(inA));
    expect(afterA[0]?.params[0]?.annotation?.dims).toEqual(['n', '4']);
    expect(afterA).toEqual(forwardAnnotations(parseDocument(inA).module, lines(inA)));
  });
});
