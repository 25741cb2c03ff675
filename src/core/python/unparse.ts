// Short Python source text of an expression, for messages that name a condition ("only if
// self.use_bias"). Long or unusual parts are abbreviated with an ellipsis; it never needs the file text.
import type { Expr } from './ast';

const MAX_LENGTH = 60;

function quote(s: string): string {
  return `'${s.length > 20 ? `${s.slice(0, 20)}…` : s}'`;
}

/** Python's operator precedence, lowest first, for the parentheses an operand needs. */
const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '|': 6, '^': 7, '&': 8, '<<': 9, '>>': 9, '+': 10, '-': 10, '*': 11, '/': 11, '//': 11, '%': 11, '@': 11, '**': 13,
};

function precedence(e: Expr): number {
  switch (e.k) {
    case 'lambda': return 0;
    case 'ifexp': return 1;
    case 'bool': return e.op === 'or' ? 2 : 3;
    case 'unary': return e.op === 'not' ? 4 : 12;
    case 'cmp': return 5;
    case 'bin': return BINARY_PRECEDENCE[e.op] ?? 10;
    default: return 14;
  }
}

function parts(e: Expr, depth: number): string {
  if (depth > 6) return '…';
  const p = (x: Expr): string => parts(x, depth + 1);
  // An operand binding looser than its operator (or as loosely, on the right) is parenthesised.
  const operand = (x: Expr, right = false): string => {
    const mine = precedence(e);
    const theirs = precedence(x);
    return theirs < mine || (right && theirs === mine && e.k !== 'bool') ? `(${p(x)})` : p(x);
  };
  switch (e.k) {
    case 'name':
      return e.id;
    case 'num':
      return e.isInt || !Number.isInteger(e.value) ? String(e.value) : `${e.value}.0`;
    case 'str':
      return quote(e.value);
    case 'fstr':
      return "f'…'";
    case 'const':
      return e.value === 'Ellipsis' ? '...' : e.value;
    case 'attr':
      return `${operand(e.obj)}.${e.name}`;
    case 'sub':
      return `${operand(e.obj)}[${p(e.index)}]`;
    case 'slice':
      return `${e.lower ? p(e.lower) : ''}:${e.upper ? p(e.upper) : ''}${e.step ? `:${p(e.step)}` : ''}`;
    case 'call': {
      const args = e.args.map((a) => (a.kind === 'kw' ? `${a.name}=${p(a.value)}` : a.kind === 'star' ? `*${p(a.value)}` : a.kind === 'dstar' ? `**${p(a.value)}` : p(a.value)));
      return `${operand(e.fn)}(${args.join(', ')})`;
    }
    case 'bin':
    case 'cmp':
    case 'bool':
      return `${operand(e.left)} ${e.op} ${operand(e.right, true)}`;
    case 'unary':
      return e.op === 'not' ? `not ${operand(e.operand)}` : `${e.op}${operand(e.operand)}`;
    case 'ifexp':
      return `${operand(e.body)} if ${operand(e.test)} else ${operand(e.orelse)}`;
    case 'tuple':
      return e.items.length === 1 ? `(${p(e.items[0]!)},)` : `(${e.items.map(p).join(', ')})`;
    case 'list':
      return `[${e.items.map(p).join(', ')}]`;
    case 'set':
      return `{${e.items.map(p).join(', ')}}`;
    case 'starred':
      return `*${p(e.value)}`;
    case 'named':
      return `${e.target} := ${p(e.value)}`;
    default:
      return '…';
  }
}

/** The expression as short Python text, at most about 60 characters. */
export function unparse(e: Expr): string {
  const text = parts(e, 0);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

/** The negation of a condition's text, without stacking `not not`. */
export function negateText(condition: string): string {
  if (condition.startsWith('not (') && condition.endsWith(')')) return condition.slice(5, -1);
  if (/^not [\w.]+$/.test(condition)) return condition.slice(4);
  return /^[\w.]+$/.test(condition) ? `not ${condition}` : `not (${condition})`;
}
