// `ml-notes annotate`: a document's inlay hints, exactly as the editor shows them, as trailing comments
// (`x = self.layer1(x)  # -> [1, 64, 56, 56]`) or as JSON. The hints come from analyzeForEditor, the
// same code that renders the editor's view.
import type { HintData } from './hints';

export interface AnnotateJson {
  readonly hints: readonly { readonly line: number; readonly character: number; readonly label: string }[];
}

/** The JSON form: 1-based lines, 0-based characters, the hint's text as the editor shows it. */
export function annotateJson(hints: readonly HintData[]): AnnotateJson {
  return { hints: hints.map((h) => ({ line: h.position.line + 1, character: h.position.character, label: h.label })) };
}

/** The file with each line's hints appended as one comment (`  # -> a; -> b`); other lines unchanged. */
export function annotateText(text: string, hints: readonly HintData[]): string {
  const byLine = new Map<number, string[]>();
  for (const h of hints) byLine.set(h.position.line, [...(byLine.get(h.position.line) ?? []), h.label.replace(/^→ /, '-> ')]);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(/\r?\n/)
    .map((line, i) => {
      const labels = byLine.get(i);
      return labels ? `${line.trimEnd()}  # ${labels.join('; ')}` : line;
    })
    .join(eol);
}
