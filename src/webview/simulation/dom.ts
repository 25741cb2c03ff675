// DOM helpers for the simulation panel: labelled controls built from plain specs. No inline handlers and
// no style attributes in markup (the panel runs under a strict CSP); styling lives in media/simulation.css.

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface RangeSpec {
  readonly kind: 'range';
  readonly key: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Slider step in value units (linear sliders only). */
  readonly step?: number;
  /** Log-scale slider: the thumb moves evenly in log(value). */
  readonly log?: boolean;
  readonly integer?: boolean;
  readonly value: number;
  readonly format?: (value: number) => string;
  readonly hint?: string;
}

export interface SelectSpec {
  readonly kind: 'select';
  readonly key: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly value: string;
  readonly hint?: string;
}

export type ControlSpec = RangeSpec | SelectSpec;
export type ControlValue = number | string;

export interface Controls {
  readonly values: Record<string, ControlValue>;
  set(key: string, value: ControlValue): void;
  /** Changes a linear slider's bounds (e.g. the layer slider when the stack changes), clamping its value. */
  setBounds(key: string, min: number, max: number): void;
}

/** Log sliders use this many positions. */
const LOG_POSITIONS = 1000;

export const formatNumber = (value: number): string => {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
};

function sliderToValue(spec: RangeSpec, position: number): number {
  const raw = spec.log ? Math.exp(Math.log(spec.min) + ((Math.log(spec.max) - Math.log(spec.min)) * position) / LOG_POSITIONS) : position;
  return spec.integer ? Math.round(raw) : raw;
}

function valueToSlider(spec: RangeSpec, value: number): number {
  if (!spec.log) return value;
  const clamped = Math.min(spec.max, Math.max(spec.min, value));
  return Math.round(((Math.log(clamped) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min))) * LOG_POSITIONS);
}

/** Renders controls into `parent`; `onChange` fires on every input with the new values. */
export function renderControls(parent: HTMLElement, idPrefix: string, specs: readonly ControlSpec[], onChange: (key: string, values: Record<string, ControlValue>) => void): Controls {
  const values: Record<string, ControlValue> = {};
  const setters = new Map<string, (value: ControlValue) => void>();
  const sliders = new Map<string, HTMLInputElement>();
  for (const spec of specs) {
    const id = `${idPrefix}-${spec.key}`;
    const row = element('div', { class: 'control' });
    const label = element('label', { for: id }, spec.label);
    row.append(label);
    if (spec.kind === 'range') {
      const input = element('input', {
        type: 'range',
        id,
        min: String(spec.log ? 0 : spec.min),
        max: String(spec.log ? LOG_POSITIONS : spec.max),
        step: String(spec.log ? 1 : (spec.step ?? (spec.integer ? 1 : (spec.max - spec.min) / 200))),
      });
      const output = element('output', { for: id, class: 'control-value' });
      const format = spec.format ?? formatNumber;
      const show = (value: number): void => {
        output.textContent = format(value);
        input.setAttribute('aria-valuetext', format(value));
      };
      const set = (value: ControlValue): void => {
        const numeric = Number(value);
        values[spec.key] = numeric;
        input.value = String(valueToSlider(spec, numeric));
        show(numeric);
      };
      input.addEventListener('input', () => {
        const value = sliderToValue(spec, Number(input.value));
        values[spec.key] = value;
        show(value);
        onChange(spec.key, values);
      });
      set(spec.value);
      setters.set(spec.key, set);
      if (!spec.log) sliders.set(spec.key, input);
      row.append(input, output);
    } else {
      const select = element('select', { id });
      for (const option of spec.options) select.append(element('option', { value: option.value }, option.label));
      const set = (value: ControlValue): void => {
        values[spec.key] = String(value);
        select.value = String(value);
      };
      select.addEventListener('change', () => {
        values[spec.key] = select.value;
        onChange(spec.key, values);
      });
      set(spec.value);
      setters.set(spec.key, set);
      row.append(select);
    }
    if (spec.hint) {
      const hintId = `${id}-hint`;
      row.append(element('div', { class: 'control-hint', id: hintId }, spec.hint));
      row.querySelector('input, select')?.setAttribute('aria-describedby', hintId);
    }
    parent.append(row);
  }
  const setBounds = (key: string, min: number, max: number): void => {
    const input = sliders.get(key);
    if (!input) return;
    input.min = String(min);
    input.max = String(max);
    setters.get(key)?.(Math.min(max, Math.max(min, Number(values[key]))));
  };
  return { values, set: (key, value) => setters.get(key)?.(value), setBounds };
}

/** A list of facts (label: value) shown beside a plot, rebuilt on every update. */
export function renderFacts(parent: HTMLElement, facts: readonly (readonly [string, string])[]): void {
  const list = element('dl', { class: 'facts' });
  for (const [term, value] of facts) list.append(element('dt', {}, term), element('dd', {}, value));
  parent.replaceChildren(list);
}

/** Messages about adjusted inputs, announced politely to screen readers. */
export function renderMessages(parent: HTMLElement, messages: readonly string[]): void {
  parent.replaceChildren(...messages.map((m) => element('p', {}, m)));
  parent.hidden = messages.length === 0;
}
