// The editor settings that cost time or memory, with the bounds every value is clamped to: a workspace's
// .vscode/settings.json is written by whoever wrote the repository, so nothing in it may ask for an
// unbounded budget. In an untrusted workspace these settings take the user's (or default) value only.

export interface NumberSetting {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

export const NUMBER_SETTINGS = {
  'analysis.timeBudgetMs': { default: 500, min: 50, max: 10_000 },
  'analysis.debounceMs': { default: 150, min: 0, max: 5_000 },
  'imports.maxFileKb': { default: 1024, min: 1, max: 10_240 },
  // 0 turns "does it fit?" off; each model then costs a few training-step analyses more.
  'costs.gpuMemoryGB': { default: 0, min: 0, max: 4096 },
} as const satisfies Record<string, NumberSetting>;

export type NumberSettingKey = keyof typeof NUMBER_SETTINGS;

/** Settings a workspace may not set when it is untrusted (package.json lists them as restrictedConfigurations). */
export const RESTRICTED_SETTINGS: readonly string[] = ['analysis.timeBudgetMs', 'imports.maxFileKb', 'init.varianceGainRange', 'costs.gpuMemoryGB'];

/** The value clamped into the setting's bounds; anything but a finite number gives the default. */
export function clampSetting(key: NumberSettingKey, value: unknown): number {
  const bounds: NumberSetting = NUMBER_SETTINGS[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return bounds.default;
  return Math.min(bounds.max, Math.max(bounds.min, value));
}

export const DEFAULT_GAIN_RANGE: readonly [number, number] = [0.1, 10];
const GAIN_LIMITS = { low: [1e-6, 1], high: [1, 1e6] } as const;

/** mlNotes.init.varianceGainRange as [low, high] with low in [1e-6, 1] and high in [1, 1e6]; malformed gives the default. */
export function clampGainRange(value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return DEFAULT_GAIN_RANGE;
  const [low, high] = value as unknown[];
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(low > 0) || !(high > low)) return DEFAULT_GAIN_RANGE;
  const clamp = (x: number, [min, max]: readonly [number, number]): number => Math.min(max, Math.max(min, x));
  return [clamp(low, GAIN_LIMITS.low), clamp(high, GAIN_LIMITS.high)];
}
