// Input sanitizing shared by the simulations: a value out of range or not a number is replaced by the
// nearest allowed one and a readable message says so, so no input throws or reaches the maths as NaN.

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
  readonly integer?: boolean;
}

/** Collects the messages of one sanitizing pass. */
export class InputNotes {
  readonly messages: string[] = [];

  number(name: string, value: unknown, range: NumberRange): number {
    const numeric = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(numeric)) {
      if (value !== undefined) this.messages.push(`${name} must be a number; using ${range.fallback}.`);
      return range.fallback;
    }
    const rounded = range.integer ? Math.round(numeric) : numeric;
    if (rounded < range.min || rounded > range.max) {
      const clamped = Math.min(range.max, Math.max(range.min, rounded));
      this.messages.push(`${name} must be between ${range.min} and ${range.max}; using ${clamped}.`);
      return clamped;
    }
    return rounded;
  }

  choice<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.messages.push(`${name} must be one of ${allowed.join(', ')}; using ${fallback}.`);
    return fallback;
  }

  note(message: string): void {
    this.messages.push(message);
  }
}

/** Finite or the fallback: the last guard before a number reaches a plot. */
export const finiteOr = (value: number, fallback: number): number => (Number.isFinite(value) ? value : fallback);

/** n values spaced evenly on a log scale from `from` to `to` (both > 0), rounded when `integer`. */
export function logSpace(from: number, to: number, count: number, integer = false): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = Math.exp(Math.log(from) + ((Math.log(to) - Math.log(from)) * i) / Math.max(1, count - 1));
    values.push(integer ? Math.round(value) : value);
  }
  return integer ? [...new Set(values)] : values;
}
