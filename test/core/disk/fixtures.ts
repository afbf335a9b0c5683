// Fixture builders shared by the disk scan tests.
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';

/**
 * mkdir d/d/d/... `levels` levels below the folder open at `fd`, through /proc/self/fd so paths
 * stay short however deep the chain (re-opening the folder reached every 2,000 bytes or so).
 * Closes `fd`; returns a descriptor open on the bottom folder (the caller closes it).
 */
export function descendChain(fd: number, levels: number): number {
  let rel = '.';
  for (let i = 0; i < levels; i++) {
    rel += '/d';
    mkdirSync(`/proc/self/fd/${fd}/${rel}`);
    if (rel.length > 2000) {
      const next = openSync(`/proc/self/fd/${fd}/${rel}`, constants.O_RDONLY | constants.O_DIRECTORY);
      closeSync(fd);
      fd = next;
      rel = '.';
    }
  }
  const next = openSync(`/proc/self/fd/${fd}/${rel}`, constants.O_RDONLY | constants.O_DIRECTORY);
  closeSync(fd);
  return next;
}
