// `workspace-usage serve` end to end: the built CLI as a child process on a generated arawn data
// dir, every endpoint compared with arawn's semantics (DirectoryManager::get_usage and its
// handler): exact MiB, sessions largest first, total = production + work, upstream's warning
// sentences strictly over a limit, 400 and 404 bodies; live changes, the token, the public bind.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import {
  arawnDataDir,
  buildOnce,
  eventually,
  getJson,
  MIB,
  removeDir,
  runServe,
  sparse,
  startServe,
  tempDir,
  type ServeProcess,
} from './helpers';

/** GET with the path sent exactly as given (fetch would resolve `..` before sending). */
function rawGet(url: string, rawPath: string): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('workspace-usage serve (arawn data dir, child process)', function () {
  this.timeout(60_000);
  let base: string;
  let state: string;
  let server: ServeProcess;

  before(async () => {
    buildOnce();
    base = arawnDataDir();
    state = tempDir('state');
    server = await startServe([base, '--state-dir', state]);
  });

  after(async () => {
    await server?.stop();
    removeDir(base);
    removeDir(state);
  });

  it('prints "listening on http://127.0.0.1:PORT" once ready', () => {
    assert.match(server.stdout(), /^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  it('GET /api/v1/workstreams lists every workstream with its totals', async () => {
    const { status, body } = await getJson(`${server.url}/api/v1/workstreams`);
    assert.equal(status, 200);
    const list = (
      body as { workstreams: Array<{ id: string; production_mb: number; work_mb: number; total_mb: number }> }
    ).workstreams;
    assert.deepEqual(
      list.map((w) => w.id),
      ['blog', 'empty', 'notes', 'scratch', 'warm'],
    );
    assert.deepEqual(
      list.map((w) => [w.production_mb, w.work_mb, w.total_mb]),
      [
        [1100, 520, 1620],
        [0, 0, 0],
        [0.5, 1.5, 2],
        [0, 130.5, 130.5],
        [0, 450, 450],
      ],
    );
  });

  it('a named workstream over both limits: upstream fields and warning sentences', async () => {
    const { status, body } = await getJson(`${server.url}/api/v1/workstreams/blog/usage`);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      production_mb: 1100,
      work_mb: 520,
      total_mb: 1620,
      warnings: [
        'production directory exceeds 1024MB limit (1100.00MB)',
        'work directory exceeds 500MB limit (520.00MB)',
      ],
    });
  });

  it('fractional MiB are exact floats, and empty sessions and warnings are left out', async () => {
    const notes = await getJson(`${server.url}/api/v1/workstreams/notes/usage`);
    assert.equal(notes.text, '{"production_mb":0.5,"work_mb":1.5,"total_mb":2}\n');
    const empty = await getJson(`${server.url}/api/v1/workstreams/empty/usage`);
    assert.deepEqual(empty.body, { production_mb: 0, work_mb: 0, total_mb: 0 });
  });

  it('scratch: work is the sum of its sessions, largest first, each over its limit warned', async () => {
    const { status, text } = await getJson(`${server.url}/api/v1/workstreams/scratch/usage`);
    assert.equal(status, 200);
    assert.equal(
      text,
      `${JSON.stringify({
        production_mb: 0,
        work_mb: 130.5,
        sessions: [
          { id: 's-002', mb: 130 },
          { id: 's-001', mb: 0.5 },
          { id: 's-003', mb: 0 },
        ],
        total_mb: 130.5,
        warnings: ['session s-002 exceeds 100MB limit (130.00MB)'],
      })}\n`,
    );
  });

  it('at the warning fraction but not over: only an "approaching" line, never upstream\'s "exceeds"', async () => {
    const { body } = await getJson(`${server.url}/api/v1/workstreams/warm/usage`);
    assert.deepEqual(body, {
      production_mb: 0,
      work_mb: 450,
      total_mb: 450,
      warnings: ['work directory approaching 500MB limit (450.00MB, 90%)'],
    });
  });

  it("invalid names are 400 with upstream's body; unknown ones 404", async () => {
    for (const [name, shown] of [
      ['-bad', '-bad'],
      ['.hidden', '.hidden'],
      ['a%20b', 'a b'],
      ['caf%C3%A9', 'café'],
    ]) {
      const { status, body } = await getJson(`${server.url}/api/v1/workstreams/${name}/usage`);
      assert.equal(status, 400, name);
      assert.deepEqual(body, { error: `Invalid workstream name: ${shown}` });
    }
    const missing = await getJson(`${server.url}/api/v1/workstreams/nope/usage`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'Workstream not found: nope' });
    assert.match(server.stderr(), /404 Workstream not found: nope/);
  });

  it('`..`, encoded dots and slashes and NUL in the URL are 400 and reach nothing', async () => {
    for (const p of [
      '/api/v1/workstreams/../usage',
      '/api/v1/workstreams/%2e%2e/usage',
      '/api/v1/workstreams/a%2Fb/usage',
      '/api/v1/workstreams/..%2F..%2Fetc/usage',
      '/api/v1/workstreams/blog%00/usage',
      '/api/v1/workstreams/%5C..%5C/usage',
      '/api/../healthz',
    ]) {
      const { status, body } = await rawGet(server.url, p);
      assert.equal(status, 400, p);
      assert.ok(typeof (body as { error: string }).error === 'string');
    }
  });

  it('GET /api/storage/sizes: areas as tables, largest first, file counts as row_count', async () => {
    const { status, body } = await getJson(`${server.url}/api/storage/sizes`);
    assert.equal(status, 200);
    const b = body as {
      tables: Array<{ table_name: string; size_bytes: number; size_human: string; row_count: number }>;
      total_bytes: number;
      total_human: string;
      measured_at: string;
    };
    assert.deepEqual(
      b.tables.slice(0, 4).map((t) => [t.table_name, t.size_bytes, t.row_count]),
      [
        ['blog/production', 1100 * MIB, 1],
        ['blog/work', 520 * MIB, 1],
        ['warm/work', 450 * MIB, 1],
        ['scratch/sessions/s-002', 130 * MIB, 1],
      ],
    );
    const notesWork = b.tables.find((t) => t.table_name === 'notes/work')!;
    assert.deepEqual([notesWork.size_bytes, notesWork.size_human, notesWork.row_count], [1.5 * MIB, '1.5 MB', 2]);
    for (let i = 1; i < b.tables.length; i++) assert.ok(b.tables[i - 1].size_bytes >= b.tables[i].size_bytes);
    assert.equal(b.total_bytes, (1100 + 520 + 0.5 + 1.5 + 450 + 0.5 + 130) * MIB);
    assert.equal(b.total_human, '2.2 GB');
    assert.ok(!Number.isNaN(Date.parse(b.measured_at)));
  });

  it('GET /api/storage/stats: quota tracker fields against the default 100 GB folder quota', async () => {
    const { body } = await getJson(`${server.url}/api/storage/stats`);
    const total = (1100 + 520 + 0.5 + 1.5 + 450 + 0.5 + 130) * MIB;
    assert.deepEqual(body, {
      total_files: 8,
      total_size_bytes: total,
      total_size_gb: total / 1024 ** 3,
      quota_gb: 100,
      quota_percentage: (total / (100 * 1024 ** 3)) * 100,
      is_quota_warning: false,
    });
  });

  it('GET /api/storage/history: the sample taken after the first scan, newest first; bad limits 400', async () => {
    const ok = await eventually(
      async () => ((await getJson(`${server.url}/api/storage/history`)).body as unknown[]).length === 1,
      5000,
    );
    assert.ok(ok, 'one sample after the first scan');
    const { body } = await getJson(`${server.url}/api/storage/history?limit=30`);
    const [sample] = body as Array<{
      id: number;
      sampled_at: string;
      total_bytes: number;
      table_sizes: Record<string, number>;
    }>;
    assert.equal(sample.total_bytes, (1100 + 520 + 0.5 + 1.5 + 450 + 0.5 + 130) * MIB);
    assert.equal(sample.table_sizes['blog/production'], 1100 * MIB);
    assert.equal(sample.table_sizes['scratch/sessions/s-002'], 130 * MIB);
    assert.equal(new Date(sample.sampled_at).getTime(), sample.id);
    for (const bad of ['0', '-1', 'x', '1.5'])
      assert.equal((await getJson(`${server.url}/api/storage/history?limit=${bad}`)).status, 400, bad);
  });

  it('a change on disk is visible within 2 s, in the usage, the list and the daily activity', async () => {
    const before = await getJson(`${server.url}/api/storage/usage-history?days=30`);
    assert.deepEqual(before.body, []);
    const started = Date.now();
    sparse(path.join(base, 'workstreams', 'notes', 'work', 'new.bin'), 3 * MIB);
    sparse(path.join(base, 'workstreams', 'fresh', 'production', 'p'), 2 * MIB);
    const seen = await eventually(async () => {
      const notes = (await getJson(`${server.url}/api/v1/workstreams/notes/usage`)).body as { work_mb: number };
      const fresh = await getJson(`${server.url}/api/v1/workstreams/fresh/usage`);
      return (
        notes.work_mb === 4.5 && fresh.status === 200 && (fresh.body as { production_mb: number }).production_mb === 2
      );
    }, 2000);
    assert.ok(seen, `not visible after ${Date.now() - started} ms`);
    const days = (await getJson(`${server.url}/api/storage/usage-history?days=30`)).body as Array<{
      date: string;
      total_files: number;
      total_size_bytes: number;
      files_added: number;
      files_deleted: number;
    }>;
    assert.equal(days.length, 1);
    assert.match(days[0].date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(days[0].files_added, 2);
    assert.equal(days[0].files_deleted, 0);
    assert.equal(days[0].total_files, 10);
    assert.equal((await getJson(`${server.url}/api/storage/usage-history?days=0`)).status, 400);
  });

  it('GET /metrics is the Prometheus text format with the area series; /healthz answers', async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const folder = JSON.stringify(path.join(base, 'workstreams'));
    assert.ok(
      text.includes(
        `workspace_usage_area_bytes{folder=${folder},workstream="blog",area="production",session=""} ${1100 * MIB}\n`,
      ),
      text.slice(0, 2000),
    );
    assert.ok(
      text.includes(
        `workspace_usage_area_level{folder=${folder},workstream="scratch",area="sessions",session="s-002"} 2\n`,
      ),
    );
    assert.ok(
      text.includes(`workspace_usage_area_level{folder=${folder},workstream="warm",area="work",session=""} 1\n`),
    );
    assert.match(text, /\nworkspace_usage_scan_duration_seconds\{folder="[^"]+"\} \d/);
    assert.match(text, /\nworkspace_usage_last_change_timestamp_seconds\{folder="[^"]+"\} \d{10}/);
    assert.deepEqual((await getJson(`${server.url}/healthz`)).body, { status: 'ok', phase: 'ready' });
  });

  it('SIGTERM stops it with exit 0 and the history flushed to --state-dir', async () => {
    const code = await server.stop();
    assert.equal(code, 0);
    const dirs = readdirSync(state);
    assert.equal(dirs.length, 1);
    const lines = readFileSync(path.join(state, dirs[0], 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.type === 'sample').length, 1);
    const activity = lines.filter((l) => l.type === 'activity');
    assert.equal(activity.length, 1, "the day's activity is written on stop, not lost");
    assert.equal(activity[0].files_added, 2);
  });
});

describe('workspace-usage serve: token, configured limits, public bind', function () {
  this.timeout(60_000);
  let base: string;
  let state: string;
  let tokenFile: string;
  let server: ServeProcess | undefined;
  const token = 'b7c1e0f4a9d24c55a8f3e6d1c2b0a917';

  before(() => {
    buildOnce();
    base = arawnDataDir();
    state = tempDir('state');
    tokenFile = path.join(state, 'token');
    writeFileSync(tokenFile, `${token}\n`);
    mkdirSync(path.join(base, '.vscode'));
    writeFileSync(
      path.join(base, '.vscode', 'settings.json'),
      JSON.stringify({
        'workspaceUsage.areas': [
          { name: 'production', pattern: 'production', quota: '2 GB' },
          { name: 'work', pattern: 'work', quota: '510 MB' },
          { name: 'sessions', pattern: 'sessions/*/work', quota: '120 MB' },
        ],
        'workspaceUsage.folderQuota': '2560 MB',
      }),
    );
  });

  after(async () => {
    await server?.stop();
    removeDir(base);
    removeDir(state);
  });

  it('every request, /metrics and /healthz included, needs the bearer token: 401 otherwise', async () => {
    server = await startServe([base, '--state-dir', state, '--token-file', tokenFile]);
    for (const p of [
      '/metrics',
      '/healthz',
      '/api/v1/workstreams',
      '/api/v1/workstreams/blog/usage',
      '/api/storage/sizes',
      '/nope',
    ]) {
      const none = await getJson(`${server.url}${p}`);
      assert.equal(none.status, 401, p);
      assert.deepEqual(none.body, { error: 'Unauthorized' });
      assert.equal((await getJson(`${server.url}${p}`, { Authorization: `Bearer ${token}x` })).status, 401, p);
      assert.equal((await getJson(`${server.url}${p}`, { Authorization: token })).status, 401, p);
    }
    assert.equal((await getJson(`${server.url}/metrics`, { Authorization: `Bearer ${token}` })).status, 200);
  });

  it('limits come from the configured quotas', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    assert.deepEqual((await getJson(`${server!.url}/api/v1/workstreams/blog/usage`, auth)).body, {
      production_mb: 1100,
      work_mb: 520,
      total_mb: 1620,
      warnings: ['work directory exceeds 510MB limit (520.00MB)'],
    });
    const scratch = (await getJson(`${server!.url}/api/v1/workstreams/scratch/usage`, auth)).body as {
      warnings: string[];
    };
    assert.deepEqual(scratch.warnings, ['session s-002 exceeds 120MB limit (130.00MB)']);
    const stats = (await getJson(`${server!.url}/api/storage/stats`, auth)).body as {
      quota_gb: number;
      is_quota_warning: boolean;
    };
    assert.deepEqual([stats.quota_gb, stats.is_quota_warning], [2.5, true]);
  });

  it('a non-loopback --host without --token-file is refused: exit 2, one line, nothing listens', async () => {
    const run = runServe([base, '--state-dir', state, '--host', '0.0.0.0', '--port', '0']);
    assert.equal(await run.exit, 2);
    assert.equal(run.out(), '');
    const lines = run.err().trimEnd().split('\n');
    assert.equal(lines.length, 1, run.err());
    assert.match(lines[0], /^workspace-usage: refusing to serve on 0\.0\.0\.0 without --token-file/);
    assert.ok(!existsSync(path.join(state, 'never')));
  });
});
