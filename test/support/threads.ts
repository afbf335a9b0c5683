import { readdirSync, readFileSync } from 'node:fs';

/** The nice value of each thread of `pid`, as the kernel has it (field 19 of /proc/PID/task/TID/stat). */
export function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}
