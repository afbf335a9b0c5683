// The editor bench's reading of a stall: how much of it the profiler sampled at its own rate, and
// how much passed in long gaps (the host's thread off the CPU, or blocked in a call).
import { strict as assert } from 'node:assert';
import { stallCauses } from '../../bench/hostProfile';

describe('bench: stall causes from the host CPU profile', () => {
  it('tells the sampled running time of a stall from its long gaps', () => {
    const frame = (id: number, functionName: string, url: string) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
    });
    // Samples 1 ms apart in ours, then one 40 ms gap (the thread descheduled), then 1 ms apart.
    const deltas = [0, ...Array(10).fill(1000), 40_000, ...Array(9).fill(1000)];
    const profile = {
      nodes: [{ ...frame(1, '(root)', ''), children: [2] }, frame(2, 'walk', 'file:///x/dist/extension.js')],
      startTime: 0,
      samples: deltas.map(() => 2),
      timeDeltas: deltas,
    };
    const end = deltas.reduce((a, b) => a + b, 0);
    const [stall] = stallCauses(profile, [{ endUs: end, ms: 60 }], (url) => url.endsWith('extension.js'));
    assert.equal(stall.ms, 60);
    assert.equal(Math.round(stall.sampledMs), 19, 'the 1 ms steps, not the 40 ms gap');
    assert.equal(stall.ours, 1);
  });
});
