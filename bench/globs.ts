// Glob matching figures (`npx tsx bench/globs.ts`, also run by `npm run bench`): the matcher on
// the worst pattern for a backtracking RegExp, `*a*a*a*a*a*b`, against a 200-character folder
// name (medians of several runs, and the matcher's step count), beside the RegExp translations
// it replaced on shorter names. Those run in a worker with a time limit, so the bench never hangs.
import { Worker } from 'node:worker_threads';
import { globSteps, matchesGlob, resetGlobSteps } from '../src/core/paths/glob';

const RUNS = Math.max(5, Number(process.env.WORKSPACE_USAGE_BENCH_RUNS ?? 7));
const PATTERN = '*a*a*a*a*a*b';
const LIMIT_MS = 5000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median microseconds per match over RUNS runs of `reps` matches, and the steps of one match. */
function timeMatcher(path: string, glob: string, reps: number): { us: number; steps: number; result: boolean } {
  let result = false;
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) result = matchesGlob(path, glob);
    times.push(Number(process.hrtime.bigint() - t0) / 1000 / reps);
  }
  resetGlobSteps();
  matchesGlob(path, glob);
  return { us: median(times), steps: globSteps(), result };
}

// The two translations the matcher replaced: monitor/globs.ts (excludes) and areas.ts (per segment).
const OLD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
function excludeRegExp(glob) {
  let g = glob.replace(/^\\.\\//, '').replace(/\\/+$/, '');
  if (!g.includes('/')) g = '**/' + g;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') { i++; if (g[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*'; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^\${}()|[\\]\\\\]/g, '\\\\$&');
  }
  return new RegExp('^' + re + '(?:/.*)?$');
}
const areaRegExp = (part) => new RegExp('^' + part.replace(/[.+^\${}()|[\\]\\\\]/g, '\\\\$&').replace(/\\*/g, '.*').replace(/\\?/g, '.') + '$');
const re = workerData.kind === 'exclude' ? excludeRegExp(workerData.glob) : areaRegExp(workerData.glob);
const t0 = process.hrtime.bigint();
const result = re.test(workerData.path);
parentPort.postMessage({ ms: Number(process.hrtime.bigint() - t0) / 1e6, result });
`;

/** Milliseconds of one old RegExp test, or undefined when it outlasts LIMIT_MS (the worker is terminated). */
function timeOld(kind: 'exclude' | 'area', path: string, glob: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(OLD_SOURCE, { eval: true, workerData: { kind, path, glob } });
    const timer = setTimeout(() => void worker.terminate().then(() => resolve(undefined)), LIMIT_MS);
    worker.once('message', (m: { ms: number }) => {
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(m.ms));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function main(): Promise<void> {
  console.log(`\nGlob matching, pattern ${PATTERN} (no match: the name has no b)`);
  const long = 'a'.repeat(200);
  for (const [label, path, reps] of [
    ['200-char name', long, 2000],
    ['50 folders of 200 chars', Array(50).fill(long).join('/'), 20],
  ] as Array<[string, string, number]>) {
    const m = timeMatcher(path, PATTERN, reps);
    if (m.result) throw new Error('the matcher matched a path with no b');
    console.log(
      `  ${`matcher, ${label}`.padEnd(36)} ${m.us.toFixed(1).padStart(9)} µs per match (median of ${RUNS}), ${m.steps} steps`,
    );
  }
  for (const length of [24, 48]) {
    const name = 'a'.repeat(length);
    for (const kind of ['exclude', 'area'] as const) {
      const times: number[] = [];
      let timedOut = false;
      // The RegExp is slow enough that 3 runs make a steady median; stop at the first timeout.
      for (let r = 0; r < 3 && !timedOut; r++) {
        const ms = await timeOld(kind, name, PATTERN);
        if (ms === undefined) timedOut = true;
        else times.push(ms);
      }
      const figure = timedOut
        ? `> ${LIMIT_MS} ms (stopped)`
        : `${(median(times) * 1000).toFixed(1).padStart(9)} µs per match (median of ${times.length})`;
      console.log(`  ${`old ${kind} RegExp, ${length}-char name`.padEnd(36)} ${figure}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
