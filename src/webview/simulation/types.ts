// The contract between the panel shell (main.ts) and each simulation module.
import type { SimulationInit } from '../protocol';
import type { ControlValue } from './dom';
import { element } from './dom';
import type { Theme } from './theme';

export interface SimulationContext {
  readonly theme: Theme;
  readonly seed: number;
  readonly init: SimulationInit | undefined;
  /** Control values saved from an earlier visit (webview state), restored before any host init applies. */
  readonly saved: Readonly<Record<string, ControlValue>> | undefined;
  save(values: Readonly<Record<string, ControlValue>>): void;
  /** Prefix for element ids, unique per mounted simulation. */
  readonly idPrefix: string;
}

export interface SimulationView {
  dispose(): void;
}

export type MountSimulation = (root: HTMLElement, context: SimulationContext) => SimulationView;

export interface SimulationLayout {
  readonly controls: HTMLElement;
  readonly plots: HTMLElement;
  readonly facts: HTMLElement;
  readonly messages: HTMLElement;
  readonly status: HTMLElement;
}

/** Controls on one side, plots on the other; CSS grid wraps them under each other in a narrow panel. */
export function simulationLayout(root: HTMLElement, description: string): SimulationLayout {
  const controls = element('section', { class: 'controls', 'aria-label': 'Controls' });
  const plots = element('section', { class: 'plots', 'aria-label': 'Plots' });
  const facts = element('section', { class: 'facts-box', 'aria-label': 'Numbers', 'aria-live': 'polite' });
  const messages = element('section', { class: 'messages', role: 'status', 'aria-live': 'polite' });
  const status = element('div', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  messages.hidden = true;
  controls.append(element('p', { class: 'description' }, description));
  const side = element('div', { class: 'side' });
  side.append(controls, facts, messages, status);
  root.append(side, plots);
  return { controls, plots, facts, messages, status };
}

/** Saved value when valid, else the host's, else the default. */
export function initialValue<T extends ControlValue>(saved: Readonly<Record<string, ControlValue>> | undefined, key: string, fallback: T): T {
  const value = saved?.[key];
  return value !== undefined && typeof value === typeof fallback ? (value as T) : fallback;
}
