// The calculators' public surface: the registry, the input helpers a UI needs, and layer prefill.
export { CALCULATOR_IDS, isCalculatorId, type CalculatorId } from './ids';
export { calculators, findCalculator } from './registry';
export type { Calculator, CalculatorDeclaration, CalculatorOutcome, CalculatorOutput, InputKind, InputSpec, RawInputs, ResultValue } from './types';
export { validateInput, prefillInputs, parseInput } from './inputs';
export { formatStack, parseLayerStack, receptiveFieldTable } from './receptiveField';
export type { StackLayer, ReceptiveFieldRow } from './receptiveField';
export { prefillForLayer } from './layers';
export type { LayerPrefill } from './layers';
