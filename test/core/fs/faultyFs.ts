// A file system for tests that fails chosen steps: a full disk mid-write (half the bytes written,
// then ENOSPC), a failed sync or rename. Everything else goes to the real file system.
import { promises as fs } from 'node:fs';
import { realFs, type DurableFs, type DurableHandle } from '../../../src/core/fs/durableFile';

export type Step = 'write' | 'sync' | 'rename' | 'open';

export interface Faults {
  /** Return true to make this step on this path fail. */
  fail(step: Step, file: string): boolean;
}

function enospc(file: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, write '${file}'`);
  err.code = 'ENOSPC';
  return err;
}

export function faultyFs(faults: Faults): DurableFs {
  const wrap = (h: fs.FileHandle, file: string): DurableHandle => ({
    async writeFile(data) {
      if (faults.fail('write', file)) {
        const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
        await h.write(buf.subarray(0, Math.floor(buf.length / 2)));
        throw enospc(file);
      }
      await h.writeFile(data);
    },
    async sync() {
      if (faults.fail('sync', file)) throw enospc(file);
      await h.sync();
    },
    async datasync() {
      if (faults.fail('sync', file)) throw enospc(file);
      await h.datasync();
    },
    truncate: (len) => h.truncate(len),
    stat: () => h.stat(),
    close: () => h.close(),
  });
  return {
    readFile: (f) => realFs.readFile(f),
    unlink: (f) => realFs.unlink(f),
    link: (a, b) => realFs.link(a, b),
    readdir: (d) => realFs.readdir(d),
    stat: (f) => realFs.stat(f),
    async open(file, flags) {
      if (faults.fail('open', file)) throw enospc(file);
      return wrap(await fs.open(file, flags), file);
    },
    async rename(from, to) {
      if (faults.fail('rename', from)) throw enospc(to);
      await realFs.rename(from, to);
    },
  };
}
