import { describe, expect, it } from 'vitest';
import { isSimulationId, SIMULATION_IDS, SIMULATIONS, type SimulationId as CoreSimulationId } from '../../../src/core/simulations';
import type { SimulationId as ProtocolSimulationId } from '../../../src/webview/protocol';

// The protocol's id type (shared with the host) and the core's list must name the same simulations.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const protocolMatchesCore: Same<CoreSimulationId, ProtocolSimulationId> = true;

describe('simulation registry', () => {
  it('lists the six simulations the notes link to, each with a title and topics', () => {
    expect(protocolMatchesCore).toBe(true);
    expect([...SIMULATION_IDS]).toEqual(['gd-momentum-adam', 'activation-variance', 'softmax-saturation', 'rnn-dynamics', 'diffusion-forward', 'receptive-field']);
    expect(SIMULATIONS.map((s) => s.id)).toEqual([...SIMULATION_IDS]);
    for (const s of SIMULATIONS) expect(s.topics.length).toBeGreaterThan(0);
    expect(isSimulationId('receptive-field')).toBe(true);
    expect(isSimulationId('nope')).toBe(false);
  });
});
