// KaTeX source → readable Unicode text, for terminals and hovers that cannot run KaTeX. It covers the
// subset the notes use (fractions, roots, scripts, fonts, operators, Greek, delimiters, cases, matrices);
// anything it does not know is passed through without its backslash rather than dropped.

// Paired delimiters are emitted as markers first, so the spaces TeX source puts inside them can be dropped.
const OPEN_NORM = '\uE001';
const CLOSE_NORM = '\uE002';
const OPEN_ANGLE = '\uE003';
const CLOSE_ANGLE = '\uE004';

const SYMBOLS: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ',
  chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ',
  Psi: 'Ψ', Omega: 'Ω',
  cdot: '·', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', approx: '≈', sim: '~', doteq: '≐',
  to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', iff: '⇔', mapsto: '↦', infty: '∞', sum: 'Σ', prod: 'Π',
  int: '∫', partial: '∂', nabla: '∇', lVert: OPEN_NORM, rVert: CLOSE_NORM, Vert: '‖', vert: '|', lfloor: '⌊', rfloor: '⌋',
  lceil: '⌈', rceil: '⌉', langle: OPEN_ANGLE, rangle: CLOSE_ANGLE, odot: '⊙', top: 'ᵀ', mid: '|', in: '∈', forall: '∀', perp: '⊥',
  pm: '±', circ: '∘', ldots: '…', dots: '…', cdots: '⋯', vdots: '⋮', neg: '¬', gg: '≫', ll: '≪', lesssim: '≲',
  gtrsim: '≳', nmid: '∤', bmod: ' mod ', propto: '∝', cap: '∩', cup: '∪', subset: '⊂', emptyset: '∅',
  ln: ' ln ', log: ' log ', exp: ' exp ', max: 'max', min: 'min', cos: ' cos ', sin: ' sin ', tanh: ' tanh ', det: ' det ',
  uparrow: '↑', downarrow: '↓',
  quad: '  ', qquad: '    ', ',': ' ', ';': ' ', ':': ' ', '!': '', ' ': ' ', '{': '{', '}': '}', '#': '#', '%': '%', '|': '‖',
  '\\': '; ',
};

const BLACKBOARD: Readonly<Record<string, string>> = { E: '𝔼', R: 'ℝ', C: 'ℂ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', P: 'ℙ' };
const CALLIGRAPHIC: Readonly<Record<string, string>> = { N: '𝒩', L: 'ℒ', M: 'ℳ', P: '𝒫', T: '𝒯', Z: '𝒵', D: '𝒟', U: '𝒰', E: 'ℰ', O: '𝒪' };

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '−': '⁻',
  '=': '⁼', '(': '⁽', ')': '⁾', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ',
  l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ',
  T: 'ᵀ', 'ᵀ': 'ᵀ', β: 'ᵝ', γ: 'ᵞ', θ: 'ᶿ', '*': '*', '′': '′',
};
const SUBSCRIPT: Readonly<Record<string, string>> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '−': '₋',
  '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ',
  r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', β: 'ᵦ', γ: 'ᵧ', ρ: 'ᵨ', φ: 'ᵩ', χ: 'ᵪ',
};

/** Commands whose single argument is shown as it is. */
const PASS_THROUGH = new Set(['operatorname', 'operatorname*', 'mathrm', 'text', 'texttt', 'mathbf', 'boldsymbol', 'mathit', 'textbf', 'underbrace', 'overbrace']);
/** Size and spacing commands with no argument that print nothing. */
const IGNORED = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'displaystyle', 'textstyle', 'limits', 'nolimits']);
const ACCENTS: Readonly<Record<string, string>> = { hat: '\u0302', tilde: '\u0303', bar: '\u0304', overline: '\u0304', vec: '\u20d7', dot: '\u0307' };

class Reader {
  private index = 0;
  constructor(private readonly source: string) {}

  get done(): boolean {
    return this.index >= this.source.length;
  }

  peek(): string {
    return this.source[this.index] ?? '';
  }

  next(): string {
    return this.source[this.index++] ?? '';
  }

  skipSpaces(): void {
    while (this.peek() === ' ') this.index++;
  }

  /** A command name after a backslash: letters (with an optional `*`), or one non-letter character. */
  commandName(): string {
    const start = this.index;
    if (/[A-Za-z]/.test(this.peek())) {
      while (/[A-Za-z]/.test(this.peek())) this.index++;
      if (this.peek() === '*') this.index++;
      return this.source.slice(start, this.index);
    }
    return this.next();
  }

  /** The raw text of a balanced `{...}` group (the reader is on the `{`). */
  groupSource(): string {
    this.next();
    const start = this.index;
    let depth = 1;
    while (!this.done) {
      const c = this.next();
      if (c === '\\') this.next();
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return this.source.slice(start, this.index - 1);
    }
    return this.source.slice(start);
  }

  /** The raw text of the next argument: a group, a command, or one character. */
  argumentSource(): string {
    this.skipSpaces();
    if (this.peek() === '{') return this.groupSource();
    if (this.peek() === '\\') {
      this.next();
      return `\\${this.commandName()}`;
    }
    return this.next();
  }

  /** An optional `[...]` argument. */
  optionalSource(): string | undefined {
    this.skipSpaces();
    if (this.peek() !== '[') return undefined;
    this.next();
    const start = this.index;
    while (!this.done && this.peek() !== ']') this.index++;
    const text = this.source.slice(start, this.index);
    this.next();
    return text;
  }
}

/** Subscript and superscript characters, which keep an identifier a single atom (x₁, σ², Wᵀ). */
const SCRIPT_CHARS = '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᵝᵞᶿ′*';
// Decimal digits only (\p{Nd}): superscript digits are script characters, and letting both take them backtracks.
const SINGLE_ATOM = new RegExp(`^[√∂]?(?:\\p{Nd}+(?:\\.\\p{Nd}+)?|[^\\s()${SCRIPT_CHARS}]\\p{M}*)[${SCRIPT_CHARS}]*$`, 'u');

/** Wraps a compound expression in parentheses so `a/b` and `√x` keep their meaning. */
function atom(text: string): string {
  const trimmed = text.trim().replace(/∂ /g, '∂');
  const isNorm = /^\uE001[^\uE001\uE002]*\uE002$/.test(trimmed);
  const isRoot = trimmed.startsWith('√') && isParenthesized(trimmed.slice(1));
  return SINGLE_ATOM.test(trimmed) || isParenthesized(trimmed) || isNorm || isRoot ? trimmed : `(${trimmed})`;
}

/** True when the whole text is one balanced parenthesized group. */
function isParenthesized(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

function script(text: string, table: Readonly<Record<string, string>>, marker: '^' | '_'): string {
  const trimmed = text.trim();
  const chars = [...trimmed];
  if (chars.length > 0 && chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return chars.length === 1 ? `${marker}${trimmed}` : `${marker}(${trimmed})`;
}

function environment(name: string, body: string): string {
  const rows = body.split(/\\\\/).map((row) => row.split('&').map((cell) => convert(cell).trim()));
  if (name === 'cases') return `{ ${rows.map((cells) => cells.join(' ')).join('; ')} }`;
  return `[${rows.map((cells) => cells.join(', ')).join('; ')}]`;
}

function command(name: string, reader: Reader): string {
  if (IGNORED.has(name)) return '';
  if (PASS_THROUGH.has(name)) {
    const text = convert(reader.argumentSource(), name.startsWith('text'));
    if (name === 'underbrace' || name === 'overbrace') skipScript(reader);
    return text;
  }
  switch (name) {
    case 'frac':
    case 'tfrac':
    case 'dfrac': {
      const numerator = convert(reader.argumentSource());
      const denominator = convert(reader.argumentSource());
      return `${atom(numerator)}/${atom(denominator)} `;
    }
    case 'sqrt': {
      const index = reader.optionalSource();
      const radicand = atom(convert(reader.argumentSource()));
      return index === undefined ? `√${radicand}` : `${index}√${radicand}`;
    }
    case 'mathbb': {
      const letter = reader.argumentSource().trim();
      return BLACKBOARD[letter] ?? letter;
    }
    case 'mathcal': {
      const letter = reader.argumentSource().trim();
      return CALLIGRAPHIC[letter] ?? letter;
    }
    case 'xrightarrow': {
      const label = convert(reader.argumentSource()).trim();
      return ` →(${label}) `;
    }
    case 'begin': {
      const env = reader.argumentSource();
      const marker = `\\end{${env}}`;
      return environment(env, takeUntil(reader, marker));
    }
    case 'not':
      return `¬${convert(reader.argumentSource())}`;
    default: {
      const accent = ACCENTS[name];
      if (accent !== undefined) {
        const base = convert(reader.argumentSource());
        return /^\p{L}$/u.test(base) ? `${base}${accent}` : `${name}(${base})`;
      }
      return SYMBOLS[name] ?? name;
    }
  }
}

/** Skips a `_{...}` or `^{...}` label (the one under an underbrace). */
function skipScript(reader: Reader): void {
  reader.skipSpaces();
  if (reader.peek() === '_' || reader.peek() === '^') {
    reader.next();
    reader.argumentSource();
  }
}

function takeUntil(reader: Reader, marker: string): string {
  let body = '';
  while (!reader.done) {
    body += reader.next();
    if (body.endsWith(marker)) return body.slice(0, -marker.length);
  }
  return body;
}

function convert(source: string, inText = false): string {
  const reader = new Reader(source);
  let out = '';
  while (!reader.done) {
    const c = reader.next();
    if (c === '\\') out += command(reader.commandName(), reader);
    else if (c === '{') out += convert(sourceOfGroupAfterBrace(reader), inText);
    else if (c === '}') continue;
    else if (c === '^') out += script(convert(reader.argumentSource()), SUPERSCRIPT, '^');
    else if (c === '_') out += script(convert(reader.argumentSource()), SUBSCRIPT, '_');
    else if (c === '~') out += ' ';
    else if (c === "'") out += '′';
    else if (c === '-' && !inText) out += '−';
    else out += c;
  }
  return out;
}

/** The reader has consumed `{`: reads to the matching brace. */
function sourceOfGroupAfterBrace(reader: Reader): string {
  let depth = 1;
  let body = '';
  while (!reader.done) {
    const c = reader.next();
    if (c === '\\') {
      body += c + reader.next();
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return body;
    body += c;
  }
  return body;
}

/** Blanks before a closing marker go (a split instead of /\s*X/, which rescans every run of blanks). */
const trimEndExceptLast = (part: string, i: number, all: readonly string[]): string => (i < all.length - 1 ? part.trimEnd() : part);

/** Unicode text of a KaTeX expression, with runs of spaces collapsed. */
export function texToText(tex: string): string {
  return convert(tex)
    .replace(/\uE001\s*/g, '‖')
    .split('\uE002').map(trimEndExceptLast).join('‖')
    .replace(/\uE003\s*/g, '⟨')
    .split('\uE004').map(trimEndExceptLast).join('⟩')
    .replace(/[ \t]+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/∂ /g, '∂').replace(/ ′/g, '′').normalize('NFC').replace(/ ([,;:])/g, '$1').trim();
}
