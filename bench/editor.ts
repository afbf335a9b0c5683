// What the extension costs and gives in the editor (code-server + Chromium, the integration tests'
// harness), beside the same editor without it. Opt-in in `npm run bench` (it takes minutes):
//   npm run bench -- --editor        or   WORKSPACE_USAGE_BENCH_EDITOR=1 npm run bench
//   npx tsx bench/editor.ts [--sizes 45k,200k,1m] [--hosts extension,bare] [--rounds N] [--sample-rounds N] [--profile]
//   (default: every size, both hosts, 1 round, 3 sample rounds, no profile; with --rounds N each
//   workspace and host gets N fresh windows and the table gives medians, with the rounds' spread)
// Needs the packaged VSIX (built with `npm run package` when there is none).
//
// 1. Startup on the sample workspace (what bench/editorStartup.ts measured): window opened ->
//    first size in the status bar, and the extension's own figures from its log ("activated in X
//    ms", "first sizes N ms after activation"); medians over fresh windows.
// 2. On generated workspaces of 45,000, 200,000 (bench/disk.ts's tree) and 1,000,000 files
//    (1,000 folders x 1,000 empty files; skipped when the disk has under 5 GB free), cached under
//    $TMPDIR/workspace-usage-bench/: one fresh code-server per workspace with the extension and one
//    bare (no extension installed). For each: the extension host process (a node child of
//    code-server whose command line says extensionHost): RSS steady (VmRSS after 30 s idle) and
//    peak (VmHWM at the end), idle CPU over 30 s (utime+stime from /proc/PID/stat), VS Code's own
//    file watcher process's CPU time at the end of those 30 s (its crawl of the workspace competes
//    with our first scan for the cores: on 2 cores it decides much of the first number's time);
//    with the extension also activation -> first number (its log), of it the first scan's walk
//    in the scan process (its log), the headless command's `usage` on the same workspace (whole
//    process, median of 3, run after the window closed and its scan processes exited) with the
//    ratio of the two, window opened -> first number, and live-change latency: a file deep in the
//    tree grows by 1 GiB (sparse: truncate), time until the status bar text changes (median of 3;
//    the file is put back each time; "> 60 s" when it does not change: not live), what the
//    extension's log last said about its watcher, and after a window reload (the sizes stored by
//    the first window): activation -> the stored numbers on screen, and -> the exact ones (the
//    log's "first sizes ... (stored)" and "first exact sizes"). Also who had the cores from the
//    first scan's start to the number on screen: CPU-seconds of our scan process, VS Code's
//    watcher, the extension host, the browser and the rest (bench/coreShare.ts, /proc read every
//    50 ms).
// 3. From inside the extension host (src/extension/benchProbe.ts): its memory by kind (V8 heap
//    per space, external) at the steady reading, at its highest RSS and over time; with --profile
//    its CPU profile over the whole scenario and the event loop's stalls over 50 ms, each with
//    what the profile sampled in it: our code's share, the GC's, the heaviest functions
//    (bench/hostProfile.ts). The profiler costs CPU and memory of its own: the table's figures
//    come from runs without --profile.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  statfsSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../scripts/lib/sampleWorkspace.mjs';
import { extensionLogFiles, openEditorPage, startHost, stopHost } from '../test/integration/harness/host';
import { CoreShareRecorder, procStat, SHARE_KINDS, type CoreShare } from './coreShare';
import { hostRecording, memoryBreakdown, memoryTimeline, type HostRecording } from './hostProfile';
import { withoutCaBundle } from '../src/core/monitor/scanInProcess';
import { STATUS_ITEM_ID } from '../test/integration/harness/workbench';

const ROOT = resolve(__dirname, '..');
const BENCH = join(tmpdir(), 'workspace-usage-bench');
const IDLE_MS = 30_000;
const SETTLE_MS = 5_000;
const GIB = 2 ** 30;
const NUMBER = / (bytes?|kB|MB|GB|TB|PB) \/ /;

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (arg('--sizes') ?? '45k,200k,1m').split(',');
const SAMPLE_ROUNDS = Number(arg('--sample-rounds') ?? 3);
/** Windows per workspace and host; the table gives each figure's median over them. */
const ROUNDS = Math.max(1, Number(arg('--rounds') ?? 1));
const HOSTS = (arg('--hosts') ?? 'extension,bare').split(',');
const PROFILE = process.argv.includes('--profile');

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- workspaces -------------------------------------------------------------------------------

/** FOLDERS x PER files (BYTES(i) bytes each), written to DIR.partial and renamed when complete. */
function generate(dir: string, folders: number, per: number, bytes: (i: number) => number): string {
  if (existsSync(dir)) return dir;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const started = Date.now();
  let n = 0;
  for (let f = 0; f < folders; f++) {
    const folder = join(partial, `g${Math.floor(f / 100)}`, `d${f}`);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < per; i++, n++) writeFileSync(join(folder, `f${i}.txt`), bytes(n) ? 'x'.repeat(bytes(n)) : '');
  }
  renameSync(partial, dir);
  console.log(
    `generated ${n.toLocaleString('en-US')} files in ${dir} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return dir;
}

function workspace(size: string): string | undefined {
  if (size === '45k') return generate(join(BENCH, 'editor-45k'), 450, 100, (i) => i % 997);
  if (size === '200k') {
    const tree = process.env.WORKSPACE_USAGE_BENCH_TREE ?? join(BENCH, 'tree-200k');
    if (!existsSync(tree))
      spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', 'bench/disk.ts'], { cwd: ROOT, stdio: 'inherit' });
    return existsSync(tree) ? tree : undefined;
  }
  if (size === '1m') {
    const dir = join(BENCH, 'editor-1m');
    mkdirSync(BENCH, { recursive: true });
    const fs = statfsSync(BENCH);
    if (!existsSync(dir) && fs.bavail * fs.bsize < 5e9) {
      console.log(
        `editor bench: under 5 GB free in ${BENCH} (${((fs.bavail * fs.bsize) / 1e9).toFixed(1)} GB): the 1,000,000-file workspace is skipped`,
      );
      return undefined;
    }
    return generate(dir, 1000, 1000, () => 0);
  }
  throw new Error(`unknown size ${size} (45k, 200k, 1m)`);
}

/** A regular file deep in the tree (first names in order): the one the live-change probe grows. */
function deepFile(root: string): string {
  let dir = root;
  for (;;) {
    const entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const sub = entries.find((e) => e.isDirectory());
    if (sub) dir = join(dir, sub.name);
    else return join(dir, entries.find((e) => e.isFile())!.name);
  }
}

// ---- processes --------------------------------------------------------------------------------

/** The extension host: the newest descendant of this process whose command line says extensionHost. */
function extensionHostPid(): number | undefined {
  return newestDescendant('extensionHost');
}

/** Every process now: its parent, its start (seconds after boot) and its command line. */
function processes(): Array<{ pid: number; parent: number; start: number; cmd: string }> {
  const list = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const { parent, start } = procStat(name);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      list.push({ pid: Number(name), parent, start, cmd });
    } catch {
      // exited meanwhile
    }
  }
  return list;
}

/** The newest descendant of this process whose command line contains `marker`. */
function newestDescendant(marker: string): number | undefined {
  const all = processes();
  const parent = new Map(all.map((p) => [p.pid, p.parent]));
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let best: (typeof all)[number] | undefined;
  for (const p of all) if (p.cmd.includes(marker) && mine(p.pid) && (!best || p.start > best.start)) best = p;
  return best?.pid;
}

async function waitForExtensionHost(): Promise<number> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
    const pid = extensionHostPid();
    if (pid) return pid;
  }
  throw new Error(
    'no extension host process (a node child of code-server with extensionHost in its command line) within 120 s',
  );
}

/**
 * RSS, its peak, and how much of the RSS is lazily freed: pages given back with MADV_FREE (V8
 * releases heap pages that way on Linux), counted in RSS until the kernel needs them. Also the
 * resident part of V8's heap pages (anonymous 256 KiB mappings, V8's page size): beside the heap V8
 * says it has committed, it shows the pages V8 keeps after shrinking a space (its page pool), for
 * the bare host as well, which has no probe inside.
 */
function memory(pid: number): { rss: number; hwm: number; lazyFree: number; v8Pages: number } {
  const kb = (text: string, key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let rollup = '';
  let v8Pages = NaN;
  try {
    rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    v8Pages = v8PageBytes(readFileSync(`/proc/${pid}/smaps`, 'utf8'));
  } catch {
    // a kernel without smaps_rollup: not known
  }
  return { rss: kb(status, 'VmRSS'), hwm: kb(status, 'VmHWM'), lazyFree: kb(rollup, 'LazyFree'), v8Pages };
}

/** Resident bytes of the anonymous read-write mappings of exactly 256 KiB in /proc/PID/smaps. */
function v8PageBytes(smaps: string): number {
  let total = 0;
  let isPage = false;
  for (const line of smaps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) rw-p \S+ \S+ 0\s*$/.exec(line);
    if (m) {
      isPage = parseInt(m[2], 16) - parseInt(m[1], 16) === 256 * 1024;
      continue;
    }
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) isPage = false;
    else if (isPage && line.startsWith('Rss:')) total += Number(/(\d+) kB/.exec(line)![1]) * 1024;
  }
  return total;
}

function cpuSeconds(pid: number): number {
  return procStat(pid).cpu;
}

// ---- the extension's log and status bar -------------------------------------------------------

function logFigures(before: number): { activation?: number; firstSizes?: number; walk?: number; watch: string } {
  const logs = extensionLogFiles();
  const log = logs.length > before ? readFileSync(logs[logs.length - 1], 'utf8') : '';
  const act = /activated in ([\d.]+) ms/.exec(log);
  const first = /first sizes (\d+) ms after activation/.exec(log);
  // The first scan's walk in the scan process (folderMonitor.ts's "scanned ... (scan process, ...)").
  const walk = /scanned [\d,]+ files in \d+ ms \([^)]*its walk (\d+) ms[;)]/.exec(log);
  // What the folder monitor said last about watching (folderMonitor.ts's log lines).
  const refused = /Rescanned every[^\n]*?\((E[A-Z]+)\)/.exec(log);
  const watch = refused
    ? `periodic (${refused[1]})`
    : /Rescanned every|cannot watch/.test(log)
      ? 'periodic'
      : /watching for changes/.test(log)
        ? 'watching'
        : 'not yet';
  return {
    activation: act ? Number(act[1]) : undefined,
    firstSizes: first ? Number(first[1]) : undefined,
    walk: walk ? Number(walk[1]) : undefined,
    watch,
  };
}

/**
 * Reloads the window (its extension host starts again, with the sizes stored by the last one) and
 * reads from the new log when the first numbers showed and when they were exact.
 */
async function reloadFigures(page: Page): Promise<{ stored?: number; exact?: number }> {
  const before = extensionLogFiles().length;
  await page.reload({ timeout: 120_000 });
  await waitForNumber(page, 15 * 60_000);
  for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline; await sleep(500)) {
    const logs = extensionLogFiles();
    const log = logs.length > before ? readFileSync(logs[logs.length - 1], 'utf8') : '';
    const exact = /first exact sizes (\d+) ms after activation/.exec(log);
    if (!exact) continue;
    const stored = /first sizes (\d+) ms after activation \(stored\)/.exec(log);
    return { stored: stored ? Number(stored[1]) : undefined, exact: Number(exact[1]) };
  }
  return {};
}

/** The page's document, as far as the probe reads it (bench/ compiles without the DOM types). */
type Browser = { document: { getElementById(id: string): { textContent: string | null } | null } };

const statusText = (page: Page) => page.locator(`[id="${STATUS_ITEM_ID}"]`).first().textContent({ timeout: 5_000 });

async function waitForNumber(page: Page, timeout: number): Promise<void> {
  await page.locator(`[id="${STATUS_ITEM_ID}"]`, { hasText: NUMBER }).waitFor({ timeout });
}

const LIVE_TIMEOUT_MS = 60_000;

/**
 * Grows FILE by 1 GiB and back, 3 times; the median time until the status bar text changes.
 * Infinity when it did not change within LIVE_TIMEOUT_MS (not live: no watcher yet, or periodic).
 */
async function liveChange(page: Page, file: string): Promise<number> {
  const size = statSync(file).size;
  const times: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      for (const to of [size + GIB, size]) {
        const old = await statusText(page);
        const started = performance.now();
        truncateSync(file, to);
        try {
          await page.waitForFunction(
            ([id, text]) => (globalThis as unknown as Browser).document.getElementById(id)?.textContent !== text,
            [STATUS_ITEM_ID, old] as const,
            { timeout: LIVE_TIMEOUT_MS, polling: 10 },
          );
        } catch {
          return Infinity;
        }
        if (to > size) times.push(performance.now() - started);
        await sleep(500);
      }
    }
  } finally {
    truncateSync(file, size);
  }
  return median(times);
}

// ---- scenarios --------------------------------------------------------------------------------

interface Row {
  workspace: string;
  host: 'extension' | 'bare';
  rssSteady: number;
  /** Of rssSteady, pages freed lazily (MADV_FREE): the kernel's to take back. */
  lazyFree: number;
  /** Of rssSteady, V8's heap pages (committed or kept in its pool). */
  v8Pages: number;
  rssPeak: number;
  idleCpu: number;
  /** VS Code's file watcher process: CPU seconds from its start to the end of the idle reading. */
  watcherCpu?: number;
  activationToNumber?: number;
  /** Of activationToNumber, the first scan's walk in the scan process (its log). */
  walk?: number;
  /** The headless command on the same workspace, whole process (median of 3, no editor running). */
  cli?: number;
  openToNumber?: number;
  live?: number;
  watch?: string;
  recording?: HostRecording;
  /** With --rounds: each round's own figures (this row gives their medians). */
  rounds?: Row[];
  /** After a window reload: activation -> the stored numbers, and -> the exact ones. */
  warmStored?: number;
  warmExact?: number;
  /** Who had the cores from the first scan's start to the first number (bench/coreShare.ts). */
  share?: CoreShare;
}

async function scenario(label: string, folder: string, extension: boolean): Promise<Row> {
  // The extension host records its CPU profile and memory (src/extension/benchProbe.ts).
  const probe = mkdtempSync(join(tmpdir(), 'wu-bench-probe-'));
  process.env.WORKSPACE_USAGE_BENCH_PROBE = probe;
  process.env.WORKSPACE_USAGE_BENCH_PROFILE = PROFILE ? '1' : '';
  await startHost({ extension });
  const before = extensionLogFiles().length;
  const shares = new CoreShareRecorder();
  if (extension) shares.start();
  const started = performance.now();
  const { page, close } = await openEditorPage(folder);
  try {
    let openToNumber: number | undefined;
    let share: CoreShare | undefined;
    if (extension) {
      try {
        await waitForNumber(page, 15 * 60_000);
      } finally {
        share = shares.stop();
      }
      openToNumber = performance.now() - started;
    } else {
      await page.locator('.part.statusbar').waitFor({ timeout: 120_000 });
    }
    const pid = await waitForExtensionHost();
    await sleep(SETTLE_MS);
    const watcherPid = newestDescendant('--type=fileWatcher');
    const cpu0 = cpuSeconds(pid);
    await sleep(IDLE_MS);
    const idleCpu = (cpuSeconds(pid) - cpu0) / (IDLE_MS / 1000);
    // VS Code's own file watcher (a process of its own) crawls the workspace when a window opens,
    // at normal priority, while our first scan runs (at nice 10): its CPU time from its start to
    // now, when its crawl is over with and without the extension alike (read earlier, the bare
    // host's figure came while the crawl still ran: 1.7 s against 6.2 s in all at 1,000,000 files).
    let watcherCpu: number | undefined;
    try {
      watcherCpu = watcherPid === undefined ? undefined : cpuSeconds(watcherPid);
    } catch {
      // it exited meanwhile
    }
    const { rss: steady, lazyFree, v8Pages } = memory(pid);
    const live = extension ? await liveChange(page, deepFile(folder)) : undefined;
    const peak = memory(pid).hwm;
    const { firstSizes, walk, watch } = extension
      ? logFigures(before)
      : { firstSizes: undefined, walk: undefined, watch: undefined };
    const recording = extension ? await hostRecording(probe, PROFILE) : undefined;
    // The reload's extension host records into the same folder: the first window's stay apart.
    for (const f of ['host.cpuprofile', 'stalls.json', 'host.heapprofile'])
      if (existsSync(join(probe, f))) renameSync(join(probe, f), join(probe, `first-window-${f}`));
    const warm = extension ? await reloadFigures(page) : undefined;
    return {
      workspace: label,
      host: extension ? 'extension' : 'bare',
      rssSteady: steady,
      lazyFree,
      v8Pages,
      rssPeak: peak,
      idleCpu,
      watcherCpu,
      activationToNumber: firstSizes,
      walk,
      openToNumber,
      live,
      watch,
      recording,
      warmStored: warm?.stored,
      warmExact: warm?.exact,
      share,
    };
  } finally {
    await close();
    await stopHost();
    if (process.env.WORKSPACE_USAGE_BENCH_HEAP === '1' || process.env.WORKSPACE_USAGE_BENCH_ALLOC === '1' || PROFILE)
      console.log(
        `  extension host's heap snapshot / allocation profile / CPU profile kept in ${probe} (first-window-*: the first window's; the others: the reload's)`,
      );
    else rmSync(probe, { recursive: true, force: true });
  }
}

/**
 * Scan processes of ours still running, descendants or not (a closed window's, orphaned, may
 * still be writing its stored copy).
 */
function scanProcessesAlive(): number {
  return processes().filter((p) => p.cmd.includes('scanProcess.js')).length;
}

/**
 * `node dist/cli.js usage FOLDER --json`, whole process: median of 3 (after one warm-up run), once
 * the closed window's scan processes have exited (up to 60 s): at 1,000,000 files the reload's
 * scan process was still writing its stored copy while the CLI's first run began.
 */
async function cliUsageMs(folder: string): Promise<number> {
  for (const deadline = Date.now() + 60_000; scanProcessesAlive() > 0 && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 250));
  const once = () => {
    const started = performance.now();
    // As bench/cli.ts runs it: without the machine's NODE_EXTRA_CA_CERTS, which our scan process
    // does not load either (38 ms per Node start here).
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'usage', folder, '--json'], {
      stdio: 'ignore',
      env: withoutCaBundle(process.env),
    });
    if (r.status !== 0) throw new Error(`cli usage ${folder} exited ${r.status}`);
    return performance.now() - started;
  };
  once();
  return median([once(), once(), once()]);
}

async function sampleStartup(rounds: number): Promise<void> {
  if (rounds <= 0) return;
  await startHost();
  const toStatus: number[] = [];
  const activation: number[] = [];
  const firstSizes: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const folder = createSampleWorkspace(join(mkdtempSync(join(tmpdir(), 'wu-bench-sample-')), 'sample-workspace'));
      const before = extensionLogFiles().length;
      const started = performance.now();
      const { page, close } = await openEditorPage(folder);
      await waitForNumber(page, 120_000);
      toStatus.push(performance.now() - started);
      await page.waitForTimeout(1000);
      const figures = logFigures(before);
      if (figures.activation !== undefined) activation.push(figures.activation);
      if (figures.firstSizes !== undefined) firstSizes.push(figures.firstSizes);
      await close();
    }
  } finally {
    await stopHost();
  }
  const fmt = (v: number[]) =>
    v.length ? `${Math.round(median(v))} ms (runs: ${v.map((x) => Math.round(x)).join(', ')})` : 'not found in the log';
  console.log(`\nEditor startup on the sample workspace (code-server, ${rounds} windows, medians)`);
  console.log(`  window opened -> first size in the status bar: ${fmt(toStatus)}`);
  console.log(
    `  extension activate():                          ${activation.length ? `${median(activation).toFixed(1)} ms (runs: ${activation.map((x) => x.toFixed(1)).join(', ')})` : 'not found in the log'}`,
  );
  console.log(`  activation -> first sizes:                     ${fmt(firstSizes)}`);
}

/** Figures the table gives as medians over a workspace's rounds (the rest come from its first round). */
const MEDIAN_FIELDS = [
  'rssSteady',
  'lazyFree',
  'v8Pages',
  'rssPeak',
  'idleCpu',
  'watcherCpu',
  'activationToNumber',
  'walk',
  'cli',
  'openToNumber',
  'live',
  'warmStored',
  'warmExact',
] as const;

/** One row of medians for a workspace's rounds, with each round's own figures kept for the spread. */
function medianRow(rounds: Row[]): Row {
  const row: Row = { ...rounds[0], rounds };
  for (const field of MEDIAN_FIELDS) {
    const values = rounds.map((r) => r[field]).filter((v): v is number => v !== undefined);
    (row as unknown as Record<string, number | undefined>)[field] = values.length ? median(values) : undefined;
  }
  return row;
}

/**
 * Who had the cores while each workspace's first scan ran (medians over its windows, each kind on
 * its own): the wall time from the scan process's start to the number on screen, the CPU-seconds
 * the machine's cores held in it, and each kind's.
 */
function printShares(rows: Row[]): void {
  const withShare = rows.filter((r) => (r.rounds ?? [r]).some((x) => x.share));
  if (!withShare.length) return;
  const cores = availableParallelism();
  console.log(
    `\nWho had the ${cores} cores from the first scan's start to the number on screen (CPU-seconds, medians of the windows):`,
  );
  for (const r of withShare) {
    const shares = (r.rounds ?? [r]).map((x) => x.share).filter((x): x is CoreShare => x !== undefined);
    const wall = median(shares.map((x) => x.wallMs)) / 1000;
    const kinds = SHARE_KINDS.map((k) => `${k} ${median(shares.map((x) => x.cpu[k])).toFixed(2)}`).join(', ');
    console.log(
      `  ${r.workspace}: ${wall.toFixed(2)} s (${(wall * cores).toFixed(2)} CPU-s of ${cores} cores): ${kinds}`,
    );
    // Each window too: a slow number beside who took the cores in that window.
    if (shares.length > 1)
      for (const x of shares)
        console.log(
          `    one window: ${(x.wallMs / 1000).toFixed(2)} s: ${SHARE_KINDS.map((k) => x.cpu[k].toFixed(2)).join(' / ')}`,
        );
  }
}

function printTable(rows: Row[]): void {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  const ms = (v?: number) =>
    v === undefined
      ? '-'
      : v === Infinity
        ? `> ${LIVE_TIMEOUT_MS / 1000} s`
        : `${Math.round(v).toLocaleString('en-US')} ms`;
  const table = [
    [
      'workspace',
      'host',
      'ext host RSS steady',
      'of it lazily freed',
      'of it V8 pages',
      'RSS peak',
      'idle CPU (30 s)',
      "VS Code's watcher CPU",
      'activation -> number',
      'of it, the walk',
      'CLI usage',
      'reload: stored / exact',
      'open -> number',
      'live change',
      'watcher (log)',
    ],
  ];
  for (const r of rows)
    table.push([
      r.workspace,
      r.host,
      mb(r.rssSteady),
      Number.isNaN(r.lazyFree) ? '?' : mb(r.lazyFree),
      Number.isNaN(r.v8Pages) ? '?' : mb(r.v8Pages),
      mb(r.rssPeak),
      `${(r.idleCpu * 100).toFixed(1)}%`,
      r.watcherCpu === undefined ? '-' : `${r.watcherCpu.toFixed(1)} s`,
      ms(r.activationToNumber),
      ms(r.walk),
      r.cli === undefined
        ? '-'
        : `${ms(r.cli)}${r.activationToNumber ? ` (number ${(r.activationToNumber / r.cli).toFixed(1)}x)` : ''}`,
      r.host === 'extension' ? `${ms(r.warmStored)} / ${ms(r.warmExact)}` : '-',
      ms(r.openToNumber),
      ms(r.live),
      r.watch ?? '-',
    ]);
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log(
    `\nExtension host of code-server, with the extension and bare (no extension installed)${ROUNDS > 1 ? `: medians of ${ROUNDS} windows each` : ''}:`,
  );
  for (const row of table)
    console.log(row.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '));
  for (const r of rows) {
    if (!r.rounds || r.rounds.length < 2) continue;
    const each = (f: (x: Row) => string) => r.rounds!.map(f).join(' / ');
    const ratio = (x: Row) =>
      x.activationToNumber !== undefined && x.cli ? ` (${(x.activationToNumber / x.cli).toFixed(1)}x)` : '';
    console.log(
      `  ${r.workspace} ${r.host}, each round: RSS steady ${each((x) => mb(x.rssSteady))}` +
        (r.host === 'extension'
          ? `; activation -> number ${each((x) => `${ms(x.activationToNumber)}${ratio(x)}`)}`
          : ''),
    );
  }
  printShares(rows);
  for (const r of rows) {
    if (!r.recording) continue;
    const { last, highest, stalls } = r.recording;
    // With --rounds, the recording is the first window's (the table's figures are medians).
    const which = r.rounds && r.rounds.length > 1 ? ` (the first of ${r.rounds.length} windows)` : '';
    console.log(`  ${r.workspace}, inside the extension host${which}:`);
    console.log(`    last reading:   ${memoryBreakdown(last)}`);
    console.log(`    highest RSS:    ${memoryBreakdown(highest)}`);
    console.log('    memory over time (MB, seconds from activation):');
    for (const line of memoryTimeline(r.recording.lines)) console.log(`      ${line}`);
    if (!PROFILE) continue;
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    const ours = stalls.filter((s) => s.ours >= 0.5);
    console.log(
      `    event-loop stalls over 50 ms: ${stalls.length}, of which ${ours.length} mostly in our code (>= 50 % of the samples)`,
    );
    for (const s of stalls.slice(0, 5))
      console.log(
        `      ${s.ms.toFixed(0)} ms (${s.sampledMs.toFixed(0)} sampled running, the rest off the CPU or blocked): ours ${pct(s.ours)}, GC ${pct(s.gc)}; ${s.top.join('; ')}`,
      );
  }
}

async function main(): Promise<void> {
  if (PROFILE) {
    // Function names kept, so the profile reads; packaged again as shipped at the end.
    console.log('editor bench: --profile: packaging with function names kept ...');
    const env = { ...process.env, WORKSPACE_USAGE_KEEP_NAMES: '1' };
    if (spawnSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: 'ignore', env }).status !== 0)
      throw new Error('npm run package failed');
    process.on('exit', () => spawnSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: 'ignore' }));
  }
  if (!readdirSync(ROOT).some((f) => /^workspace-usage-.*\.vsix$/.test(f))) {
    console.log('editor bench: no VSIX; packaging (npm run package) ...');
    if (spawnSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: 'inherit' }).status !== 0)
      throw new Error('npm run package failed');
  }
  await sampleStartup(SAMPLE_ROUNDS);
  const rows: Row[] = [];
  for (const size of SIZES) {
    const folder = workspace(size);
    if (!folder) continue;
    for (const extension of [true, false].filter((e) => HOSTS.includes(e ? 'extension' : 'bare'))) {
      const rounds: Row[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // One failed scenario (a timeout on a slow machine) still leaves the others' figures.
        try {
          const row = await scenario(`${size} files`, folder, extension);
          // The goal "first exact number at most 1.5x the CLI's scan": the CLI timed here, on the
          // same workspace, once the editor and its scan processes are gone.
          if (extension) {
            try {
              row.cli = await cliUsageMs(folder);
            } catch (error) {
              console.error(`editor bench: the CLI on ${size} failed: ${(error as Error).message}`);
            }
          }
          rounds.push(row);
        } catch (error) {
          process.exitCode = 1;
          console.error(
            `editor bench: ${size} ${extension ? 'with the extension' : 'bare'} failed: ${(error as Error).stack ?? error}`,
          );
        }
      }
      if (rounds.length) rows.push(medianRow(rounds));
      printTable(rows);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
