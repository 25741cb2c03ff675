// The calculator registry: one calculator for each id of CALCULATOR_IDS, which the CLI (`ml-notes calc`)
// and the editor's quick pick offer in that order. (Kept free of layers.ts, which imports it.)
import { CALCULATOR_IDS, isCalculatorId, type CalculatorId } from './ids';
import type { Calculator } from './types';
import { convOutCalculator, convPaddingCalculator, convTransposeOutCalculator, poolOutCalculator } from './convShapes';
import { receptiveFieldCalculator } from './receptiveField';
import { convParamsCalculator } from './convParams';
import { attentionCostCalculator, kvCacheCalculator, vitTokensCalculator } from './attention';
import { initStdCalculator } from './init';
import { lmTrainingMemoryCalculator } from './lmMemory';
import { adamBiasCalculator, gdStepCalculator } from './optimization';
import { diffusionScheduleCalculator, klGaussiansCalculator } from './generative';

/** Keyed by id, so the compiler requires a calculator for every id (a unit test checks each one's own id matches). */
export const CALCULATORS_BY_ID: Readonly<Record<CalculatorId, Calculator>> = {
  'conv-out': convOutCalculator,
  'pool-out': poolOutCalculator,
  'convtranspose-out': convTransposeOutCalculator,
  'conv-padding': convPaddingCalculator,
  'receptive-field': receptiveFieldCalculator,
  'conv-params': convParamsCalculator,
  'attention-cost': attentionCostCalculator,
  'vit-tokens': vitTokensCalculator,
  'kv-cache': kvCacheCalculator,
  'lm-training-memory': lmTrainingMemoryCalculator,
  'init-std': initStdCalculator,
  'gd-step': gdStepCalculator,
  'adam-bias': adamBiasCalculator,
  'diffusion-schedule': diffusionScheduleCalculator,
  'kl-gaussians': klGaussiansCalculator,
};

export const calculators: readonly Calculator[] = CALCULATOR_IDS.map((id) => CALCULATORS_BY_ID[id]);

/** The calculator with this id; undefined for a name that is not one (typed by a user, say). */
export function findCalculator(id: string): Calculator | undefined {
  return isCalculatorId(id) ? CALCULATORS_BY_ID[id] : undefined;
}

