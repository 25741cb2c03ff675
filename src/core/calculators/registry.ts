// The calculator registry: every calculator the CLI (`ml-notes calc`) and the editor's quick pick offer,
// in the order a quick pick lists them. (Kept free of layers.ts, which imports it.)
import type { Calculator } from './types';
import { convOutCalculator, convPaddingCalculator, convTransposeOutCalculator, poolOutCalculator } from './convShapes';
import { receptiveFieldCalculator } from './receptiveField';
import { convParamsCalculator } from './convParams';
import { attentionCostCalculator, kvCacheCalculator, vitTokensCalculator } from './attention';
import { initStdCalculator } from './init';
import { adamBiasCalculator, gdStepCalculator } from './optimization';
import { diffusionScheduleCalculator, klGaussiansCalculator } from './generative';

export const calculators: readonly Calculator[] = [
  convOutCalculator,
  poolOutCalculator,
  convTransposeOutCalculator,
  convPaddingCalculator,
  receptiveFieldCalculator,
  convParamsCalculator,
  attentionCostCalculator,
  vitTokensCalculator,
  kvCacheCalculator,
  initStdCalculator,
  gdStepCalculator,
  adamBiasCalculator,
  diffusionScheduleCalculator,
  klGaussiansCalculator,
];

export function findCalculator(id: string): Calculator | undefined {
  return calculators.find((c) => c.id === id);
}

