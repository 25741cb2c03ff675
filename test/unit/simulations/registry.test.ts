import { describe, expect, it } from 'vitest';
import { isSimulationId, SIMULATION_IDS, SIMULATIONS } from '../../../src/core/simulations';

describe('simulation registry', () => {
  it('lists the six simulations the notes link to, each with a title and topics', () => {
    expect([...SIMULATION_IDS]).toEqual(['gd-momentum-adam', 'activation-variance', 'softmax-saturation', 'rnn-dynamics', 'diffusion-forward', 'receptive-field']);
    expect(SIMULATIONS.map((s) => s.id)).toEqual([...SIMULATION_IDS]);
    for (const s of SIMULATIONS) expect(s.topics.length).toBeGreaterThan(0);
    expect(isSimulationId('receptive-field')).toBe(true);
    expect(isSimulationId('nope')).toBe(false);
  });
});
