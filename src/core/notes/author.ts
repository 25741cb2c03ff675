// Small constructors that keep the topic files short and readable.
import type { DerivationStep, NoteFormula, NoteParameter } from './types';

/** A formula: KaTeX source and its Unicode text form. */
export function formula(tex: string, text: string, label?: string): NoteFormula {
  return label === undefined ? { tex, text } : { tex, text, label };
}

/** A derivation step: KaTeX and a one-line justification. */
export function step(tex: string, why: string): DerivationStep {
  return { tex, why };
}

/** An integer parameter of a derivation. */
export function intParam(name: string, tex: string, label: string, defaultValue: number, min: number, max?: number): NoteParameter {
  return max === undefined ? { name, tex, label, defaultValue, min, integer: true } : { name, tex, label, defaultValue, min, max, integer: true };
}

/** A real-valued parameter of a derivation. */
export function realParam(name: string, tex: string, label: string, defaultValue: number, min: number, max?: number): NoteParameter {
  return max === undefined ? { name, tex, label, defaultValue, min, integer: false } : { name, tex, label, defaultValue, min, max, integer: false };
}

/** `String.raw`, so KaTeX backslashes need no escaping. */
export const tex = String.raw;
