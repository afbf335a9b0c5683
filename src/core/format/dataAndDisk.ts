// The two size figures side by side, labelled so nobody compares one with the other's tool:
// "data" is the sum of regular files' apparent sizes (hard links once: `du -sb` without the
// folders' and symlinks' own sizes); "on disk" is allocated blocks of files and folders (hard
// links once: `du -sB1`). A million tiny files: "9.6 MB of data · 424 MB on disk".
import { formatSize } from './size';

export function dataAndDisk(bytes: number, allocatedBytes: number): string {
  return `${formatSize(bytes)} of data · ${formatSize(allocatedBytes)} on disk`;
}
