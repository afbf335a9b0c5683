// For the editor bench only (bench/editor.ts): with WORKSPACE_USAGE_BENCH_PROBE=<dir> in the
// extension host's environment, the host's memory is recorded from activation, a line of figures
// every second in <dir>/memory.jsonl (RSS, V8 heap by space, external); with
// WORKSPACE_USAGE_BENCH_PROFILE=1 also the CPU profile of the extension host's thread (every
// extension's code, ours among them, and V8's garbage collector), written to
// <dir>/host.cpuprofile, and the event loop's stalls (a 5 ms timer that came more than 50 ms late:
// the thread was busy with one task that long) in <dir>/stalls.json, on the profile's clock;
// with WORKSPACE_USAGE_BENCH_HEAP=1 a heap snapshot at the end (<dir>/host.heapsnapshot: what the
// heap holds, by constructor); with WORKSPACE_USAGE_BENCH_ALLOC=1 a sampling profile of every
// allocation over the recording, kept or collected since (<dir>/host.heapprofile: who allocates).
// Recording ends when the bench creates <dir>/stop or the extension is
// deactivated. Unset, nothing of this runs.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

/** Sampling interval of the profile: fine enough to see a 50 ms task as ~100 samples. */
const SAMPLING_US = 500;

function residentBytes(): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

function memoryLine(startedAt: number): string {
  const m = process.memoryUsage();
  const spaces: Record<string, [number, number]> = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = [s.space_size, s.space_used_size];
  return JSON.stringify({
    t: Date.now() - startedAt,
    rss: residentBytes(),
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    spaces,
  });
}

/** Starts recording when the bench asked for it; dispose() writes the profile (once). */
export function startBenchProbe(env: NodeJS.ProcessEnv = process.env): { dispose(): void } | undefined {
  const dir = env.WORKSPACE_USAGE_BENCH_PROBE;
  if (!dir) return undefined;
  const startedAt = Date.now();
  const session = env.WORKSPACE_USAGE_BENCH_PROFILE === '1' ? new Session() : undefined;
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    session.post('Profiler.start');
  }
  const allocations = env.WORKSPACE_USAGE_BENCH_ALLOC === '1' ? new Session() : undefined;
  if (allocations) {
    allocations.connect();
    allocations.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  // Monotonic microseconds: the clock of the profile's timestamps.
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const stalls: Array<{ endUs: number; ms: number }> = [];
  let last = nowUs();
  const stallTimer = session
    ? setInterval(() => {
        const now = nowUs();
        if (now - last > 50_000) stalls.push({ endUs: now, ms: (now - last) / 1000 });
        last = now;
      }, 5)
    : undefined;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearInterval(stallTimer);
    writeFileSync(join(dir, 'stalls.json'), JSON.stringify(stalls));
    if (env.WORKSPACE_USAGE_BENCH_HEAP === '1') writeHeapSnapshot(join(dir, 'host.heapsnapshot'));
    allocations?.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(join(dir, 'host.heapprofile'), JSON.stringify(result.profile));
      allocations.disconnect();
    });
    writeFileSync(join(dir, 'stopped'), '');
    session?.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, 'host.cpuprofile'), JSON.stringify(result.profile));
      session.disconnect();
    });
  };
  const timer = setInterval(() => {
    appendFileSync(join(dir, 'memory.jsonl'), `${memoryLine(startedAt)}\n`);
    if (existsSync(join(dir, 'stop'))) stop();
  }, 1000);
  return { dispose: stop };
}
