// Pure source mutations for the fast-check robustness properties: each turns a real model file into the
// kind of half-edited text an editor sends while the user types.

export type Mutation =
  | { readonly kind: 'delete'; readonly start: number; readonly length: number }
  | { readonly kind: 'duplicateLine'; readonly line: number }
  | { readonly kind: 'insert'; readonly at: number; readonly tokens: readonly string[] }
  | { readonly kind: 'changeInt'; readonly which: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** Fragments that stress the parser and the interpreter: keywords, brackets, huge numbers, endless loops. */
export const INSERTED_TOKENS: readonly string[] = [
  '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '+=', '**', '*', '@', '->', '\\', '#', '"', "'''", '\n', '    ', '\t',
  'def ', 'class ', 'for ', ' in ', 'if ', 'else:', 'elif ', 'while ', 'return ', 'yield ', 'lambda ', 'import ', 'from ',
  'self.', 'super().__init__()', 'nn.Conv2d(', 'nn.Linear(', 'nn.Sequential(*', 'torch.cat(', 'x.view(', '.shape[',
  'None', 'True', '0', '-1', '1e309', '10**12', '2 ** 10 ** 10', 'range(10**9)', 'while True: pass\n',
  'def f(): return f()\n', 'x = [0] * 10**12\n', '*args', '**kwargs', 'nonlocal ', 'global ', 'async ', 'await ',
  'match x:\n    case 1:\n        pass\n', 'f"{x!r:>{w}}"', 'b"\\x00"', '...', ';', 'del ', 'assert ', 'raise ', 'try:\n',
];

const INT_LITERAL = /\b\d+\b/g;

const clampIndex = (index: number, length: number): number => (length === 0 ? 0 : index % (length + 1));

function changeInt(text: string, which: number, value: number): string {
  const matches = [...text.matchAll(INT_LITERAL)];
  if (matches.length === 0) return text;
  const match = matches[which % matches.length]!;
  const at = match.index ?? 0;
  return text.slice(0, at) + String(value) + text.slice(at + match[0].length);
}

function duplicateLine(text: string, line: number): string {
  const lines = text.split('\n');
  const index = line % lines.length;
  lines.splice(index, 0, lines[index] ?? '');
  return lines.join('\n');
}

export function applyMutation(text: string, mutation: Mutation): string {
  switch (mutation.kind) {
    case 'delete': {
      const start = clampIndex(mutation.start, text.length);
      return text.slice(0, start) + text.slice(start + mutation.length);
    }
    case 'duplicateLine':
      return duplicateLine(text, mutation.line);
    case 'insert': {
      const at = clampIndex(mutation.at, text.length);
      return text.slice(0, at) + mutation.tokens.join('') + text.slice(at);
    }
    case 'changeInt':
      return changeInt(text, mutation.which, mutation.value);
    case 'truncate':
      return text.slice(0, clampIndex(mutation.at, text.length));
  }
}

export const applyMutations = (text: string, mutations: readonly Mutation[]): string => mutations.reduce(applyMutation, text);
