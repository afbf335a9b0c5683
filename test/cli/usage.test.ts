// `workspace-usage usage` and `check` on real trees in temp folders: exit codes 0/1/2/3, an
// incomplete measurement (a folder moved away mid-scan through the scan's test seam; a folder
// unreadable to an unprivileged user, in a child process that drops root), names with control
// characters, --one-file-system, and byte counts past 2^53 in --json.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { defaultSettings } from '../../src/core/config/settings';
import { computeUsage } from '../../src/core/disk/areas';
import { scanSync } from '../../src/core/disk/scanner';
import { usageToWire } from '../../src/core/report/usageWire';
import type { CliIO } from '../../src/cli/io';
import { run } from '../support/cli';
import { buildScanWorker } from '../support/scanWorker';

/** A workspace: 2 kB in work, 1 kB in a session, 10 bytes elsewhere. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-cli-'));
  const files: Record<string, number> = { 'work/a.bin': 2048, 'sessions/s1/work/b.bin': 1024, 'notes.txt': 10 };
  for (const [rel, size] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), Buffer.alloc(size));
  }
  return root;
}

/** Moves work/ out of the tree right after the root is listed, before work/ is read. */
function moveWorkAway(root: string): Pick<CliIO, 'scan'> {
  const away = mkdtempSync(join(tmpdir(), 'wu-away-'));
  return { scan: { afterList: (rel) => rel === '' && renameSync(join(root, 'work'), join(away, 'work')) } };
}

describe('workspace-usage check: exit codes', () => {
  it('0 within quota', async () => {
    const root = workspace();
    const r = await run(['check', root], root);
    assert.equal(r.code, 0);
    assert.match(r.out, /^ok: /);
    assert.equal(r.err, '');
  });

  it('1 over quota', async () => {
    const root = workspace();
    const r = await run(['check', root, '--quota', 'work=1kB'], root);
    assert.equal(r.code, 1);
    assert.match(r.out, /^exceeded: work 2 kB > 1 kB/);
  });

  it('2 on bad usage, with one line on stderr: an empty FOLDER (like du), an unknown option', async () => {
    const root = workspace();
    for (const args of [
      ['check', ''],
      ['usage', ''],
      ['usage', '--json', ''],
      ['check', root, '--bogus'],
    ]) {
      const r = await run(args, root);
      assert.equal(r.code, 2, JSON.stringify(args));
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
    }
    assert.match((await run(['usage', ''], root)).err, /^workspace-usage: FOLDER is empty/);
  });

  it('3 when a folder is moved away during the scan, naming it on stderr', async () => {
    const root = workspace();
    const r = await run(['check', root], root, moveWorkAway(root));
    assert.equal(r.code, 3);
    assert.equal(r.out, '', 'no "ok"');
    assert.match(r.err, /skipped work: moved or deleted during the scan\n/);
    assert.match(r.err, /incomplete: 1 folder or file could not be measured.*cannot tell whether the quotas hold/);
  });

  it('1 over quota and incomplete: 1 wins (what was measured already exceeds), the gap is still said', async () => {
    const root = workspace();
    const r = await run(['check', root, '--quota', 'sessions=100'], root, moveWorkAway(root));
    assert.equal(r.code, 1);
    assert.match(r.out, /^exceeded: sessions\/s1 /);
    assert.match(r.err, /skipped work: moved or deleted/);
    assert.match(r.err, /incomplete: 1 folder/);
  });
});

describe('workspace-usage usage', () => {
  it('--json of a complete scan is exactly the report as before (no new fields)', async () => {
    const root = workspace();
    const r = await run(['usage', root, '--json'], root);
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      `${JSON.stringify(usageToWire(computeUsage(scanSync(root).tree, defaultSettings(), root)), null, 2)}\n`,
    );
  });

  it('says "incomplete" (human and --json) when a folder vanished, and still exits 0', async () => {
    let root = workspace();
    const human = await run(['usage', root], root, moveWorkAway(root));
    assert.equal(human.code, 0);
    assert.match(human.out, /\nincomplete: 1 folder or file could not be measured/);
    root = workspace();
    const json = await run(['usage', root, '--json'], root, moveWorkAway(root));
    const parsed = JSON.parse(json.out);
    assert.equal(parsed.incomplete, true);
    assert.deepEqual(parsed.skipped, [{ path: 'work', reason: 'moved or deleted during the scan' }]);
    assert.equal(parsed.total_bytes, 1034);
  });

  it('prints control characters in names as visible escapes (terminal titles, forged lines)', async () => {
    const root = workspace();
    // (No line terminators here: the area glob's `*` does not match them today; they come below.)
    const evil = 'x\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e\x85';
    mkdirSync(join(root, 'sessions', evil, 'work'), { recursive: true });
    writeFileSync(join(root, 'sessions', evil, 'work', 'f'), Buffer.alloc(101 * 1024 ** 2)); // over 100 MB: a warning line too
    const r = await run(['usage', root], root);
    assert.equal(r.code, 0);
    assert.doesNotMatch(
      r.out,
      /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]/,
      'no raw control character but the line ends',
    );
    assert.ok(r.out.includes('sessions/x\\e]0;pwned\\x07\\e[2J\\x9b31m\\u202e\\x85 '), r.out);
    assert.match(r.out, /warning: sessions x\\e\]0;pwned/);
    // --json stays JSON.stringify's escaping, and the name round-trips.
    const json = JSON.parse((await run(['usage', root, '--json'], root)).out);
    assert.ok(json.areas.some((a: { session_id?: string }) => a.session_id === evil));
    // A newline in the folder's own path does not forge a line either.
    const forged = join(root, 'ws\nFAKE: ok\r\u2028');
    mkdirSync(forged);
    const f = await run(['usage', forged], root);
    assert.ok(f.out.includes('ws\\nFAKE: ok\\r\\u2028: 0 bytes'), f.out);
    assert.doesNotMatch(f.out, /[\r\u2028]/);
    assert.ok(!f.out.split('\n').some((l) => l.startsWith('FAKE')), 'no forged line');
  });

  it('--one-file-system (-x) does not enter another file system; by default it is crossed', async function () {
    const root = workspace();
    const mnt = join(root, 'work', 'tmp');
    mkdirSync(mnt);
    if (spawnSync('mount', ['-t', 'tmpfs', 'none', mnt], { stdio: 'ignore' }).status !== 0) this.skip(); // needs root
    try {
      writeFileSync(join(mnt, 'big.bin'), Buffer.alloc(4096));
      const crossed = JSON.parse((await run(['usage', root, '--json'], root)).out);
      assert.equal(crossed.total_bytes, 2048 + 1024 + 10 + 4096);
      for (const flag of ['-x', '--one-file-system']) {
        const r = await run(['usage', root, '--json', flag], root);
        assert.equal(r.code, 0);
        const x = JSON.parse(r.out);
        assert.equal(x.total_bytes, 2048 + 1024 + 10);
        assert.equal(x.incomplete, undefined, 'not entering on purpose is not incomplete');
        assert.deepEqual(x.not_entered, [{ path: 'work/tmp', reason: 'on another file system (--one-file-system)' }]);
        assert.match(r.err, /not entered work\/tmp: on another file system/);
      }
      assert.equal((await run(['check', root, '-x'], root)).code, 0);
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });

  it('--json prints byte counts past 2^53 as exact integers (sparse files on tmpfs)', async function () {
    const root = mkdtempSync(join('/dev/shm', 'wu-cli-exact-'));
    try {
      const big = 2 ** 53 - 1;
      mkdirSync(join(root, 'work'));
      try {
        for (let i = 0; i < 3; i++)
          execFileSync('truncate', ['-s', String(big), join(root, 'work', `f${i}`)], { stdio: 'ignore' });
      } catch {
        this.skip(); // no file system here takes files this large
      }
      writeFileSync(join(root, 'one'), 'x');
      const r = await run(['usage', root, '--json', '--folder-quota', '100PB'], root);
      const exact = 3n * BigInt(big);
      assert.match(r.out, new RegExp(`"total_bytes": ${exact + 1n},`));
      assert.match(r.out, new RegExp(`"bytes": ${exact},`), 'the work area');
      assert.match(r.out, /"other": \{\n {4}"bytes": 1,/);
      // The *_mb fields are the usage endpoint's (issue 11): MiB as doubles, total = production + work.
      const parsed = JSON.parse(r.out);
      assert.equal(parsed.work_mb, Number(exact) / 1048576);
      assert.equal(parsed.total_mb, parsed.work_mb + parsed.production_mb);
      const human = await run(['usage', root, '--folder-quota', '100PB'], root);
      assert.ok(human.out.includes(`: ${(exact + 1n).toLocaleString('en-US')} bytes`), human.out);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('workspace-usage as an unprivileged user (the built command in a child process)', function () {
  let cli: string;
  before(function () {
    this.timeout(60_000);
    if (process.getuid?.() !== 0) this.skip(); // drops from root to nobody to be denied
    const dir = mkdtempSync(join(tmpdir(), 'wu-cli-bundle-'));
    chmodSync(dir, 0o755);
    cli = join(dir, 'cli.js');
    buildSync({
      entryPoints: ['src/cli/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: cli,
      logLevel: 'error',
      mainFields: ['module', 'main'],
    });
    chmodSync(cli, 0o644);
    // The scan worker beside it, as in dist/ (a small tree is still scanned synchronously).
    const worker = join(dir, 'scanWorker.js');
    buildScanWorker(worker);
    chmodSync(worker, 0o644);
  });

  function asNobody(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [cli, ...args], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
  }

  /** A workspace() that nobody may read work/ of (and may read the rest). */
  function unreadableWork(): string {
    const root = workspace();
    for (const d of [root, join(root, 'sessions'), join(root, 'sessions/s1'), join(root, 'sessions/s1/work')])
      chmodSync(d, 0o755);
    chmodSync(join(root, 'work'), 0);
    return root;
  }

  it('reports the unreadable folder the same way through the worker pool (WORKSPACE_USAGE_SCAN=pool)', () => {
    const root = unreadableWork();
    const pool = { WORKSPACE_USAGE_SCAN: 'pool' };
    const r = asNobody(['check', root], pool);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /skipped work: EACCES\n/);
    const usage = asNobody(['usage', root, '--json'], pool);
    assert.equal(usage.status, 0, usage.stderr);
    const json = JSON.parse(usage.stdout);
    assert.deepEqual(json.skipped, [{ path: 'work', reason: 'EACCES' }]);
    assert.equal(json.total_bytes, 1024 + 10);
  });

  it('check exits 3 naming a folder it cannot read (EACCES), where it used to say ok', () => {
    const root = unreadableWork();
    const r = asNobody(['check', root]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /skipped work: EACCES\n/);
    const usage = asNobody(['usage', root, '--json']);
    assert.equal(usage.status, 0);
    assert.deepEqual(JSON.parse(usage.stdout).skipped, [{ path: 'work', reason: 'EACCES' }]);
  });

  it('--help documents the exit codes and their precedence', () => {
    const r = asNobody(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /3 {2}check: incomplete measurement/);
    assert.match(r.stdout, /This wins over 3/);
    assert.match(r.stdout, /-x, --one-file-system/);
  });
});

describe('grouped (thousands separators without ICU)', () => {
  it('matches toLocaleString("en-US") for numbers and bigints', async () => {
    const { grouped } = await import('../../src/cli/usageCommand');
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER])
      assert.equal(grouped(n), n.toLocaleString('en-US'));
    for (const n of [2n ** 53n + 1n, 3n * (2n ** 53n - 1n), 10n ** 20n])
      assert.equal(grouped(n), n.toLocaleString('en-US'));
  });
});
