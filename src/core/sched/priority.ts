// CPU priority of scans: a scan nobody waits for (a drift-repair rescan, a scan in worker threads
// of a host we share) runs at BACKGROUND_NICE from its start; the extension's first scan of a
// folder starts at the normal priority and steps back when the person at the editor needs the
// CPU (extension/workspaceModel.ts).
//
// On Linux a nice value belongs to a thread, not to the process: lowering a process means lowering
// each of its threads, listed in /proc/PID/task (V8's GC helpers, libuv's pool, worker threads);
// threads it starts later inherit the value of the thread that starts them. Raising the nice value
// of one's own processes needs no privilege (lowering it back would).
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of a background scan (0 normal, 19 lowest). */
export const BACKGROUND_NICE = 10;

/**
 * Sets BACKGROUND_NICE on every thread of process `pid` (default: this process, from its calling
 * thread). Where a thread cannot be changed (gone meanwhile, not permitted) it is left as it is;
 * where /proc is missing (not Linux) the process's one value is set.
 */
export function lowerPriority(pid?: number): void {
  const set = (id: number) => {
    try {
      setPriority(id, BACKGROUND_NICE);
    } catch {
      // not permitted, or the thread or process is gone
    }
  };
  set(pid ?? 0);
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid ?? 'self'}/task`);
  } catch {
    return;
  }
  for (const tid of tasks) set(Number(tid));
}
