// CC-13: Xavier init on a Linear/Conv whose output enters a ReLU, without the ReLU gain. The layers, their
// fans, the gain actually passed (`calculate_gain('relu')` evaluates to √2) and what follows each layer come
// from the evaluation, also for inits in `self.modules()` loops, `Module.apply` helpers and config values.
import { chainVarianceGain, layerVarianceGain, xavierSpread } from '../../formulas/init';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { layerLabel, weightInits } from '../facts/inits';
import type { InitFact } from '../facts/inits';
import { numberOf } from '../facts/optimizers';
import { initCallText } from '../init-text';

const RELU_FAMILY = new Set(['relu', 'leaky_relu']);

/** True when the gain passed already accounts for the ReLU (≥ √2); undefined when the analysis cannot read it. */
function gainFitsRelu(f: InitFact): boolean | undefined {
  const gain = f.call.args.keywords.get('gain') ?? f.call.args.positional[1];
  if (!gain) return false;
  const value = numberOf(gain);
  return value ? value.value >= Math.SQRT2 - 1e-6 : undefined;
}

/** Forward variance gain of Xavier (gain 1) + ReLU for one layer: fan_in·2/(fan_in+fan_out)·½; ½ when the fans are unknown. */
const xavierReluGain = (f: InitFact): number => (f.fans ? layerVarianceGain(f.fans.fanIn, xavierSpread(f.fans).variance, 'relu') : 0.5);

/** The run of the model method that made the init call, directly or through a helper (its entry), else of the helper. */
const invocation = (f: InitFact): number => {
  const frames = f.call.context.functions;
  return ([...frames].reverse().find((fr) => fr.fn.definingClass) ?? frames.at(-1))?.entry ?? -1;
};

const format = (x: number): string => (x >= 0.01 ? String(Number(x.toPrecision(3))) : x.toExponential(2));

export const cc13 = defineRule('CC-13', (context) => {
  const facts = context.facts();
  const flagged = weightInits(facts).filter(
    (f) => /^xavier_(uniform|normal)_$/.test(f.fn) && f.final && f.next.kind === 'activation' && RELU_FAMILY.has(f.next.activation) && gainFitsRelu(f) === false,
  );
  // The depth L of the detected chain: every Xavier-initialised layer feeding a ReLU that one run of the
  // initialising function reached (a model's __init__, or one call of an init helper).
  const reports: RuleReport[] = [];
  const labelled = flagged.map((f) => ({ f, ...layerLabel(facts, f) }));
  const sites = new Map<string, typeof labelled>();
  for (const x of labelled) {
    const key = `${x.f.call.expr.r.start.line}:${x.f.call.expr.r.start.character}`;
    sites.set(key, [...(sites.get(key) ?? []), x]);
  }
  for (const site of sites.values()) {
    const { call, fn } = site[0]!.f;
    const run = invocation(site[0]!.f);
    const chain = [...new Map(labelled.filter((x) => invocation(x.f) === run).map((x) => [x.f.layer, x.f])).values()];
    const gains = chain.map(xavierReluGain);
    const names = [...new Set(site.map((x) => x.label))];
    const labels = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const text = initCallText(context, call);
    const variant = fn === 'xavier_normal_' ? 'kaiming_normal_' : 'kaiming_uniform_';
    reports.push({
      message:
        `Xavier init on ${labels}, whose output enters a ReLU: Xavier suits tanh/sigmoid. ReLU keeps half the second moment, so each layer scales the ` +
        `forward variance by fan_in·Var(W)·½ ≈ ${format(xavierReluGain(site[0]!.f))}; over the ${chain.length} layer(s) detected here ${format(chainVarianceGain(gains))}. Use Kaiming (He) init.`,
      range: call.expr.r,
      ...(text.prefix
        ? {
            fixes: [
              fix(`Use ${text.prefix}.${variant}(…, nonlinearity='relu')`, replace(call.expr.r, `${text.prefix}.${variant}(${text.weight}, nonlinearity='relu')`)),
              fix(`Pass gain=${text.prefix}.calculate_gain('relu')`, replace(call.expr.r, `${text.prefix}.${fn}(${text.weight}, gain=${text.prefix}.calculate_gain('relu'))`)),
            ],
          }
        : {}),
    });
  }
  return reports;
});
