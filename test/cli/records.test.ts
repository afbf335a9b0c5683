import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { runRecords } from '../../src/cli/recordsCommand';
import { CliError } from '../../src/cli/io';
import { captureIO } from '../support/cli';
import { line, referenceReport, removeDir, snapshot, tempDir } from '../core/log/helpers';

const FIXTURES = path.resolve(__dirname, '../fixtures/log');

describe('workspace-usage records --json (golden vectors)', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, name);
    it(`${name}: prints exactly test/fixtures/log/${name}/expected.json`, async () => {
      const args = (JSON.parse(readFileSync(path.join(dir, 'args.json'), 'utf8')) as string[]).map((a) =>
        a.replace('{fixture}', dir),
      );
      const io = captureIO(dir);
      const code = await runRecords(['folder', ...args, '--json'], io);
      assert.equal(code, 0);
      assert.equal(io.err, '');
      assert.ok(io.out.endsWith('}\n'));
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
      assert.deepEqual(JSON.parse(io.out), expected);
      // Key order as documented: the six report fields with kind and slug, then status and file_bytes.
      for (const r of JSON.parse(io.out).records) {
        assert.deepEqual(Object.keys(r), [
          'kind',
          'slug',
          'use_count',
          'last_used_at',
          'source_breakdown',
          'resident_exposure_count',
          'estimated_tokens_per_injection',
          'estimated_total_resident_exposure_tokens',
          'status',
          'file_bytes',
        ]);
      }
    });
  }
});

describe('workspace-usage records', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('wu-records-')));
  afterEach(() => removeDir(dir));

  function writeWorkspace(logLines: string[]) {
    mkdirSync(path.join(dir, '.yoi', 'memory', 'decisions'), { recursive: true });
    mkdirSync(path.join(dir, '.yoi', 'knowledge'), { recursive: true });
    writeFileSync(path.join(dir, '.yoi', 'memory', 'decisions', 'alpha.md'), 'a'.repeat(3000));
    writeFileSync(path.join(dir, '.yoi', 'knowledge', 'idle.md'), 'i'.repeat(10));
    writeFileSync(path.join(dir, '.yoi', 'usage.jsonl'), logLines.join('\n') + '\n');
  }

  it('agrees with the reference report computed from the log', async () => {
    const lines = [
      line({ records: [snapshot('decision', 'alpha', 3000)], occurred_at: '2025-01-01T00:00:00Z' }),
      line({
        event: 'resident_exposure',
        source: 'ResidentInjection',
        records: [snapshot('decision', 'alpha', 3000), snapshot('knowledge', 'x', 7)],
      }),
      line({
        source: 'KnowledgeRef',
        records: [snapshot('knowledge', 'x', 7)],
        occurred_at: '2025-02-01T00:00:00+01:00',
      }),
      'nope',
    ];
    writeWorkspace(lines);
    const io = captureIO(dir);
    assert.equal(await runRecords(['--json'], io), 0);
    const out = JSON.parse(io.out);
    const ref = referenceReport(lines.join('\n') + '\n');
    const logged = out.records.filter((r: { status: string }) => r.status !== 'unused');
    assert.deepEqual(
      logged.map(({ status: _s, file_bytes: _b, ...rest }: Record<string, unknown>) => rest),
      ref.records,
    );
    assert.deepEqual(
      out.records.map((r: { slug: string; status: string }) => `${r.slug}:${r.status}`),
      ['alpha:used', 'idle:unused', 'x:missing'],
    );
    assert.equal(out.malformed.count, ref.malformedLines.length);
    assert.deepEqual(
      out.malformed.samples.map((s: { line: number }) => s.line),
      ref.malformedLines,
    );
    assert.deepEqual(Object.keys(out.malformed.samples[0]), ['line', 'reason']);
    assert.match(out.malformed.samples[0].reason, /^not JSON: /);
  });

  it('prints an aligned table with human sizes, and the malformed lines', async () => {
    writeWorkspace([line({ records: [snapshot('decision', 'alpha', 3000)] }), '{broken']);
    const io = captureIO(dir);
    assert.equal(await runRecords([dir], io), 0);
    const rows = io.out.split('\n');
    const header = rows.find((r) => r.startsWith('KIND'))!;
    const alpha = rows.find((r) => r.includes('alpha'))!;
    const idle = rows.find((r) => r.includes('idle'))!;
    assert.ok(header && alpha && idle, io.out);
    assert.equal(alpha.indexOf('used'), header.indexOf('STATUS'));
    assert.equal(idle.indexOf('unused'), header.indexOf('STATUS'));
    assert.match(alpha, /2\.9 kB$/);
    assert.match(idle, /10 bytes$/);
    assert.match(io.out, /1 malformed log line skipped:\n {2}line 2: not JSON: /);
  });

  it('reads --log relative to the current directory, and a missing log as empty', async () => {
    writeWorkspace([line({ records: [snapshot('decision', 'alpha', 3000)] })]);
    writeFileSync(path.join(dir, 'elsewhere.jsonl'), line({ records: [snapshot('knowledge', 'idle', 10)] }) + '\n');
    let io = captureIO(dir);
    assert.equal(await runRecords(['.', '--log', 'elsewhere.jsonl', '--json'], io), 0);
    assert.deepEqual(
      JSON.parse(io.out).records.map((r: { slug: string; status: string }) => `${r.slug}:${r.status}`),
      ['alpha:unused', 'idle:used'],
    );
    io = captureIO(dir);
    assert.equal(await runRecords(['--log=does-not-exist.jsonl', '--json'], io), 0);
    assert.deepEqual(
      JSON.parse(io.out).records.map((r: { status: string }) => r.status),
      ['unused', 'unused'],
    );
  });

  it('fails with a usage error for a bad folder, a bad option or a broken settings file', async () => {
    await assert.rejects(
      runRecords([path.join(dir, 'missing')], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /folder not found/.test(e.message),
    );
    writeFileSync(path.join(dir, 'file.txt'), 'x');
    await assert.rejects(
      runRecords(['file.txt'], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /not a folder/.test(e.message),
    );
    await assert.rejects(runRecords(['--frobnicate'], captureIO(dir)), CliError);
    await assert.rejects(runRecords(['--log'], captureIO(dir)), CliError);
    await assert.rejects(runRecords(['a', 'b'], captureIO(dir)), CliError);
    mkdirSync(path.join(dir, '.vscode'));
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "workspaceUsage.usageLog": ');
    await assert.rejects(
      runRecords([], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /settings\.json/.test(e.message),
    );
  });
});

describe('workspace-usage records with hostile folders', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = tempDir('wu-records-hostile-');
    outside = tempDir('wu-records-out-');
    mkdirSync(path.join(dir, '.yoi', 'memory', 'decisions'), { recursive: true });
  });
  afterEach(() => {
    removeDir(dir);
    removeDir(outside);
  });

  it('a leap-second timestamp is printed (as the next second), not a crash', async () => {
    writeFileSync(
      path.join(dir, '.yoi', 'usage.jsonl'),
      line({ occurred_at: '2016-12-31T23:59:60Z', records: [snapshot('decision', 'leap', 4)] }) + '\n',
    );
    const io = captureIO(dir);
    assert.equal(await runRecords([], io), 0);
    const leap = io.out.split('\n').find((r) => r.includes('leap'))!;
    assert.match(leap, / years ago /);
    assert.equal(io.err, '');
  });

  it('control characters in slugs, kinds and malformed excerpts reach the terminal escaped', async () => {
    writeFileSync(
      path.join(dir, '.yoi', 'usage.jsonl'),
      [
        line({ records: [snapshot('deci\u001b[31msion', 'evil\r\u001b[2Jslug\u2028x', 4)] }),
        '{"id": \u001b]0;pwned\u0007}',
      ].join('\n') + '\n',
    );
    writeFileSync(path.join(dir, '.yoi', 'memory', 'decisions', 'bell\u0007.md'), 'x');
    const io = captureIO(dir);
    assert.equal(await runRecords([], io), 0);
    assert.doesNotMatch(io.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    assert.ok(io.out.includes('deci\\e[31msion'), io.out);
    assert.ok(io.out.includes('evil\\r\\e[2Jslug\\u2028x'), io.out);
    assert.ok(io.out.includes('bell\\x07'), io.out);
    assert.match(io.out, /line 2: not JSON: .*\\e\]0;pwned\\x07/);
  });

  it('a default log linked out of the folder is refused, naming it and why; --allow-outside reads it', async () => {
    const secret = path.join(outside, 'passwd');
    writeFileSync(secret, line({ records: [snapshot('decision', 'secret', 4)] }) + '\n');
    symlinkSync(secret, path.join(dir, '.yoi', 'usage.jsonl'));
    await assert.rejects(
      runRecords([dir], captureIO(dir)),
      (e: unknown) =>
        e instanceof CliError &&
        /usage\.jsonl resolves to .*passwd, outside the folder .* \(pass --allow-outside to read it\)$/.test(e.message),
    );
    const io = captureIO(dir);
    assert.equal(await runRecords([dir, '--allow-outside', '--json'], io), 0);
    assert.deepEqual(
      JSON.parse(io.out).records.map((r: { slug: string }) => r.slug),
      ['secret'],
    );
  });

  it('a usage log setting pointing outside is refused without --allow-outside', async () => {
    const other = path.join(outside, 'u.jsonl');
    writeFileSync(other, line() + '\n');
    mkdirSync(path.join(dir, '.vscode'));
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'workspaceUsage.usageLog': other }));
    await assert.rejects(
      runRecords([dir], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /outside the folder/.test(e.message),
    );
    assert.equal(await runRecords([dir, '--allow-outside'], captureIO(dir)), 0);
  });

  it('summary.md linked out of the folder is neither sized nor listed, with a note; --allow-outside lists it', async () => {
    writeFileSync(path.join(outside, 'secret.md'), 'x'.repeat(40));
    symlinkSync(path.join(outside, 'secret.md'), path.join(dir, '.yoi', 'memory', 'summary.md'));
    let io = captureIO(dir);
    assert.equal(await runRecords(['--json'], io), 0);
    assert.deepEqual(JSON.parse(io.out).records, []);
    assert.match(io.err, /record file skipped: .*summary\.md resolves to .*secret\.md, outside the folder/);
    io = captureIO(dir);
    assert.equal(await runRecords(['--json', '--allow-outside'], io), 0);
    assert.deepEqual(
      JSON.parse(io.out).records.map((r: { slug: string; file_bytes: number }) => [r.slug, r.file_bytes]),
      [['summary', 40]],
    );
  });

  it('a FIFO or a link to /dev/zero as the log is a clear error, at once', async function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [path.join(dir, '.yoi', 'usage.jsonl')]);
    await assert.rejects(
      runRecords([dir], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /usage\.jsonl is not a regular file \(FIFO\)$/.test(e.message),
    );
    await assert.rejects(
      runRecords([dir, '--log', '/dev/zero'], captureIO(dir)),
      (e: unknown) => e instanceof CliError && /is not a regular file \(character device\)$/.test(e.message),
    );
  });

  it('a 600 MiB line without a newline loses only itself', async function () {
    this.timeout(120_000);
    const log = path.join(dir, '.yoi', 'usage.jsonl');
    writeFileSync(log, line({ records: [snapshot('decision', 'first', 4)] }) + '\n');
    const fd = openSync(log, 'r+');
    ftruncateSync(fd, fstatSync(fd).size + 600 * 1024 * 1024);
    closeSync(fd);
    appendFileSync(log, '\n' + line({ records: [snapshot('decision', 'last', 4)] }));
    const io = captureIO(dir);
    assert.equal(await runRecords(['--json'], io), 0);
    const out = JSON.parse(io.out);
    assert.deepEqual(
      out.records.map((r: { slug: string }) => r.slug),
      ['first', 'last'],
    );
    assert.deepEqual(out.malformed, {
      count: 1,
      samples: [{ line: 2, reason: `line longer than 1 MiB (${600 * 1024 * 1024} bytes)` }],
    });
  });
});
