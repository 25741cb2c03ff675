// Position markers in fixture text, like pyright's fourslash tests: `/*name*/` marks the position
// right after it and is removed from the text the analyzer sees.
export interface MarkedText {
  readonly text: string;
  readonly markers: ReadonlyMap<string, { line: number; character: number }>;
}

export function parseMarkers(source: string): MarkedText {
  const markers = new Map<string, { line: number; character: number }>();
  const lines = source.split('\n').map((line, lineNumber) => {
    let out = '';
    let rest = line;
    for (let m = /\/\*(\w+)\*\//.exec(rest); m; m = /\/\*(\w+)\*\//.exec(rest)) {
      out += rest.slice(0, m.index);
      markers.set(m[1]!, { line: lineNumber, character: out.length });
      rest = rest.slice(m.index + m[0].length);
    }
    return out + rest;
  });
  return { text: lines.join('\n'), markers };
}
