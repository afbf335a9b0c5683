// Who had the cores while a window's first scan ran (bench/editor.ts): from the scan process's
// start to the first number on screen, the CPU seconds of every process on the machine, by kind.
// On 2 cores, a first number slower than the headless command's is either our own work or the
// others' (VS Code's file watcher crawling the same tree, the extension host, the browser): this
// says which, beside how many CPU-seconds the window's wall time held.
//
// /proc is read every POLL_MS. The scan process counts in full (it starts inside the window);
// another process counts from the first reading that saw the scan process, so up to POLL_MS of
// their CPU at the window's start is missed, and a process that exits in the window counts up to
// its last reading. "this bench" is the bench's own process: Playwright waiting for the number,
// and these readings.
import { readFileSync, readdirSync } from 'node:fs';

const POLL_MS = 50;
const CLK_TCK = 100; // getconf CLK_TCK on Linux

export const SHARE_KINDS = [
  'our scan process',
  "VS Code's watcher",
  'extension host',
  'browser',
  'this bench',
  'other',
] as const;
export type ShareKind = (typeof SHARE_KINDS)[number];

export interface CoreShare {
  /** From the scan process's start to stop(). */
  wallMs: number;
  /** CPU seconds by kind in that time. */
  cpu: Record<ShareKind, number>;
}

function kindOf(pid: number, cmd: string): ShareKind {
  if (pid === process.pid) return 'this bench';
  if (cmd.includes('scanProcess.js')) return 'our scan process';
  if (cmd.includes('--type=fileWatcher')) return "VS Code's watcher";
  if (cmd.includes('extensionHost')) return 'extension host';
  if (/chrom|headless_shell/i.test(cmd)) return 'browser';
  return 'other';
}

interface Reading {
  /** CPU seconds (utime + stime) and start (seconds after boot) by pid. */
  cpu: Map<number, number>;
  start: Map<number, number>;
}

/**
 * /proc/PID/stat's figures the benches read: the parent's pid, the start (seconds after boot)
 * and the CPU time used (utime + stime, fields 14 and 15, in seconds). Throws once it exited.
 */
export function procStat(pid: number | string): { parent: number; start: number; cpu: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return {
    parent: Number(fields[1]),
    start: Number(fields[19]) / CLK_TCK,
    cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK,
  };
}

/** Machine uptime in seconds (the clock /proc/PID/stat's start times count in). */
function uptime(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

export class CoreShareRecorder {
  private readonly cmds = new Map<number, string>();
  /** Scan processes alive before start(): another window's, not this one's. */
  private readonly old = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private first: Reading | undefined;
  /** From the first reading on: each process's CPU at its latest reading (an exited one's stays). */
  private readonly latest = new Map<number, number>();
  private scanPid: number | undefined;

  start(): void {
    const now = this.read();
    for (const pid of now.cpu.keys()) if (kindOf(pid, this.cmds.get(pid)!) === 'our scan process') this.old.add(pid);
    this.timer = setInterval(() => this.tick(), POLL_MS);
  }

  /** The window's figures, or undefined when no scan process of this window was seen. */
  stop(): CoreShare | undefined {
    clearInterval(this.timer);
    if (this.scanPid === undefined || !this.first) return undefined;
    this.keep(this.read());
    const endUptime = uptime();
    const cpu = Object.fromEntries(SHARE_KINDS.map((k) => [k, 0])) as Record<ShareKind, number>;
    // Every process seen in the window: its CPU at the end, or at its last reading if it exited.
    for (const [pid, at] of this.latest) {
      const kind = kindOf(pid, this.cmds.get(pid) ?? '');
      // Our scan processes count in full, those of an earlier window from the first reading.
      const from = kind === 'our scan process' && !this.old.has(pid) ? 0 : (this.first.cpu.get(pid) ?? 0);
      cpu[kind] += Math.max(0, at - from);
    }
    const scanStart = this.first.start.get(this.scanPid)!;
    return { wallMs: (endUptime - scanStart) * 1000, cpu };
  }

  private tick(): void {
    const now = this.read();
    if (this.scanPid === undefined) {
      for (const pid of now.cpu.keys())
        if (!this.old.has(pid) && kindOf(pid, this.cmds.get(pid)!) === 'our scan process') {
          this.scanPid = pid;
          this.first = now;
          break;
        }
    }
    if (this.first) this.keep(now);
  }

  private keep(reading: Reading): void {
    for (const [pid, cpu] of reading.cpu) this.latest.set(pid, cpu);
  }

  private read(): Reading {
    const cpu = new Map<number, number>();
    const start = new Map<number, number>();
    const young = uptime() - 1;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      try {
        const stat = procStat(name);
        const started = stat.start;
        // Read again while a process is young: between its fork and its exec it shows its parent's.
        if (!this.cmds.has(pid) || started > young) this.cmds.set(pid, readFileSync(`/proc/${name}/cmdline`, 'utf8'));
        cpu.set(pid, stat.cpu);
        start.set(pid, started);
      } catch {
        // exited meanwhile
      }
    }
    return { cpu, start };
  }
}
