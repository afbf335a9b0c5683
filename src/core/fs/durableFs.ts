// The file system the durable file primitives use (durableFile.ts, fileLock.ts): the part of
// `fs.promises` they need, injectable so tests can make any step fail.
import { promises as nodeFs } from 'node:fs';

/** The part of a file handle used here (node's FileHandle fits). */
export interface DurableHandle {
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(len?: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** The part of `fs.promises` used here. */
export interface DurableFs {
  open(file: string, flags: string): Promise<DurableHandle>;
  readFile(file: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  link(existing: string, link: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  stat(file: string): Promise<{ size: number; mtimeMs: number; ino: number }>;
}

export const realFs: DurableFs = nodeFs as unknown as DurableFs;

export interface FsOption {
  fs?: DurableFs;
}
