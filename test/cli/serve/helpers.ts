// Helpers for the `serve` tests: the built CLI (dist/cli.js, built once per run with esbuild.mjs),
// a generated arawn data dir with sparse files over each limit, and a child-process server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
export const MIB = 1024 * 1024;

let built = false;
/** Builds dist/ once per test run (the serve command runs from the bundle, like in production). */
export function buildOnce(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node esbuild.mjs failed: ${result.stderr}`);
  built = true;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wu-serve-${prefix}-`));
}

/** A sparse file of `bytes` (apparent size) under `dir`. */
export function sparse(file: string, bytes: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  truncateSync(file, bytes);
}

/**
 * BASE/workstreams with: blog (production 1100 MB, work 520 MB: both over), notes (production
 * 0.5 MB, work 1.5 MB), warm (work 450 MB: at the warning fraction, not over), empty (no files),
 * scratch with sessions s-001 (0.5 MB), s-002 (130 MB: over), s-003 (no work/).
 */
export function arawnDataDir(): string {
  const base = tempDir('data');
  const ws = path.join(base, 'workstreams');
  sparse(path.join(ws, 'blog', 'production', 'site.tar'), 1100 * MIB);
  sparse(path.join(ws, 'blog', 'work', 'draft.bin'), 520 * MIB);
  sparse(path.join(ws, 'notes', 'production', 'a.md'), MIB / 2);
  sparse(path.join(ws, 'notes', 'work', 'b.md'), MIB);
  sparse(path.join(ws, 'notes', 'work', 'deep', 'c.md'), MIB / 2);
  sparse(path.join(ws, 'warm', 'work', 'w.bin'), 450 * MIB);
  mkdirSync(path.join(ws, 'empty', 'production'), { recursive: true });
  mkdirSync(path.join(ws, 'empty', 'work'), { recursive: true });
  sparse(path.join(ws, 'scratch', 'sessions', 's-001', 'work', 'x'), MIB / 2);
  sparse(path.join(ws, 'scratch', 'sessions', 's-002', 'work', 'y'), 130 * MIB);
  mkdirSync(path.join(ws, 'scratch', 'sessions', 's-003'), { recursive: true });
  return base;
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function runServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; exit: Promise<number | null>; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, out: () => out, err: () => err };
}

/** Starts `serve` on a free port and waits for `listening on …`. */
export async function startServe(args: string[], timeoutMs = 30_000): Promise<ServeProcess> {
  const run = runServe([...args, '--port', '0']);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${timeoutMs} ms: ${run.err()}`)),
      timeoutMs,
    );
    const check = () => {
      const m = /listening on (http:\/\/\S+)\n/.exec(run.out());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    run.child.stdout!.on('data', check);
    void run.exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${run.err()}`));
    });
  });
  return {
    child: run.child,
    url,
    stdout: run.out,
    stderr: run.err,
    stop: async () => {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      return run.exit;
    },
  };
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** Polls `fn` until it returns true or `ms` pass. */
export async function eventually(fn: () => Promise<boolean>, ms: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return fn();
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
