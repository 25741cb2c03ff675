// Composite nn modules written as Python and evaluated by the interpreter, so their sub-module calls
// are recorded exactly as PyTorch's forward hooks see them.
import { QUANTIZATION_CLASSES, QUANTIZATION_SOURCE } from './quantization';
import { TRANSFORMER_CLASSES, TRANSFORMER_SOURCE } from './transformer';
import { PARALLEL_CLASSES, PARALLEL_SOURCE } from './parallel';

export interface PreludeSource {
  /** The nn class names the source defines. */
  readonly classes: readonly string[];
  readonly source: string;
}

export const PRELUDE_SOURCES: readonly PreludeSource[] = [
  { classes: TRANSFORMER_CLASSES, source: TRANSFORMER_SOURCE },
  { classes: QUANTIZATION_CLASSES, source: QUANTIZATION_SOURCE },
  { classes: PARALLEL_CLASSES, source: PARALLEL_SOURCE },
];
