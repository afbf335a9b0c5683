// What the extension host's own recording says (src/extension/benchProbe.ts, started with
// WORKSPACE_USAGE_BENCH_PROBE): the event loop's stalls with what the CPU profile sampled in
// them, and its memory by kind from the per-second lines. Used by bench/editor.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** An event-loop stall (the probe's timer came that late) and what the profile sampled in it. */
export interface HostStall {
  ms: number;
  /** Share of its samples that ran this extension's code (anywhere on the stack). */
  ours: number;
  /** Share of its samples in V8's garbage collector. */
  gc: number;
  /** Where its samples were, heaviest first (self time): "function file:line ms". */
  top: string[];
  /**
   * Of `ms`, the time sampled at the profiler's own rate (gaps between samples of at most
   * GAP_MS). The rest passed in longer gaps: the thread off the CPU (a busy 2-core machine) or
   * in a blocking call (a fork). Each gap counts for the function sampled before it in `top`.
   */
  sampledMs: number;
}

/** A gap between two samples longer than this is not the profiler's rate (about 0.6 ms here). */
const GAP_MS = 5;

/**
 * What the profile sampled during each stall. A stall is one task (or several back to back with
 * nothing else let in) holding the thread: what a save participant or a keystroke waits behind.
 */
export function stallCauses(
  profile: Profile,
  stalls: Array<{ endUs: number; ms: number }>,
  isOurs: (url: string) => boolean,
): HostStall[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const oursNode = new Map<number, boolean>();
  const hasOurs = (id: number): boolean => {
    let known = oursNode.get(id);
    if (known === undefined) {
      const up = parent.get(id);
      known = isOurs(nodes.get(id)!.callFrame.url) || (up !== undefined && hasOurs(up));
      oursNode.set(id, known);
    }
    return known;
  };
  const times: number[] = [];
  for (let i = 0, t = profile.startTime; i < profile.samples.length; i++) times.push((t += profile.timeDeltas[i]));
  return stalls.map(({ endUs, ms }) => {
    const from = endUs - ms * 1000;
    const self = new Map<string, number>();
    let total = 0;
    let ours = 0;
    let gc = 0;
    let sampled = 0;
    for (let i = 0; i < times.length; i++) {
      if (times[i] < from || times[i] > endUs) continue;
      const node = nodes.get(profile.samples[i])!;
      const dt = ((times[i + 1] ?? times[i]) - times[i]) / 1000;
      total += dt;
      if (dt <= GAP_MS) sampled += dt;
      if (hasOurs(node.id)) ours += dt;
      if (node.callFrame.functionName === '(garbage collector)') gc += dt;
      const file = node.callFrame.url.split('/').pop() ?? '';
      const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    }
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`);
    return { ms, ours: total ? ours / total : 0, gc: total ? gc / total : 0, top, sampledMs: sampled };
  });
}

interface MemoryLine {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  spaces: Record<string, [number, number]>;
}

export interface HostRecording {
  /** Event-loop stalls over 50 ms, longest first, with what ran in them (with a profile only). */
  stalls: HostStall[];
  /** Every memory line (one a second from activation), the last, and the one of highest RSS. */
  lines: MemoryLine[];
  last?: MemoryLine;
  highest?: MemoryLine;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the probe in DIR to stop and reads what it recorded (a profile when `profiled`: up to 20 s to appear). */
export async function hostRecording(dir: string, profiled: boolean): Promise<HostRecording> {
  writeFileSync(join(dir, 'stop'), '');
  const file = join(dir, 'host.cpuprofile');
  const done = profiled ? file : join(dir, 'stopped');
  for (const deadline = Date.now() + 20_000; !existsSync(done) && Date.now() < deadline;) await sleep(250);
  const lines = existsSync(join(dir, 'memory.jsonl'))
    ? readFileSync(join(dir, 'memory.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as MemoryLine)
    : [];
  const recording: HostRecording = {
    stalls: [],
    lines,
    last: lines[lines.length - 1],
    highest: lines.reduce<MemoryLine | undefined>((a, b) => (!a || b.rss > a.rss ? b : a), undefined),
  };
  if (!existsSync(file)) return recording;
  // The profile is complete only once written whole: parse errors mean it is still being written.
  let profile: Profile | undefined;
  for (let i = 0; i < 20 && !profile; i++) {
    try {
      profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    } catch {
      await sleep(250);
    }
  }
  if (!profile) return recording;
  const stalls = JSON.parse(readFileSync(join(dir, 'stalls.json'), 'utf8')) as Array<{ endUs: number; ms: number }>;
  recording.stalls = stallCauses(profile, stalls, (url) =>
    /workspace-usage\.workspace-usage-[^/]*\/dist\//.test(url),
  ).sort((a, b) => b.ms - a.ms);
  return recording;
}

/** One memory line as "RSS 300 MB = heap 120 (new 33, old 60, ...) + external 20 + other". */
export function memoryBreakdown(line: MemoryLine | undefined): string {
  if (!line) return 'no memory line';
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  const spaces = Object.entries(line.spaces)
    .filter(([, [size]]) => size >= 2 ** 20)
    .map(([name, [size, used]]) => `${name.replace(/_space$/, '')} ${mb(size)}/${mb(used)}`)
    .join(', ');
  return `RSS ${mb(line.rss)} MB: V8 heap ${mb(line.heapTotal)} MB committed / ${mb(line.heapUsed)} used (${spaces}), external ${mb(line.external)} MB, at ${(line.t / 1000).toFixed(0)} s`;
}

/** The memory lines where RSS, the V8 heap or external memory moved by 4 MB or more since the last shown. */
export function memoryTimeline(lines: MemoryLine[]): string[] {
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  const out: string[] = [];
  let shown: MemoryLine | undefined;
  const moved = (a: number, b: number) => Math.abs(a - b) >= 4 * 2 ** 20;
  for (const l of lines) {
    if (shown && !moved(l.rss, shown.rss) && !moved(l.heapTotal, shown.heapTotal) && !moved(l.external, shown.external))
      continue;
    shown = l;
    const young = l.spaces.new_space ?? [0, 0];
    out.push(
      `${(l.t / 1000).toFixed(0).padStart(4)} s  RSS ${mb(l.rss)}  heap ${mb(l.heapTotal)}/${mb(l.heapUsed)} (new ${mb(young[0])})  external ${mb(l.external)}`,
    );
  }
  return out;
}
