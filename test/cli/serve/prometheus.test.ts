// Debian's real Prometheus against `serve`: one scrape, then the stored series through its HTTP
// API; `promtool check metrics` on /metrics and `promtool test rules` on deploy/prometheus.
// Skipped with a message when /usr/bin/prometheus or /usr/bin/promtool is absent
// (apt-get install prometheus).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import {
  arawnDataDir,
  buildOnce,
  eventually,
  MIB,
  removeDir,
  ROOT,
  startServe,
  tempDir,
  type ServeProcess,
} from './helpers';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('serve with Prometheus (Debian package "prometheus")', function () {
  this.timeout(90_000);
  let base: string;
  let work: string;
  let server: ServeProcess | undefined;
  let prometheus: ChildProcess | undefined;

  before(function () {
    if (!existsSync(PROMETHEUS) || !existsSync(PROMTOOL)) {
      console.log(`      skipped: ${PROMETHEUS} or ${PROMTOOL} is absent (Debian: apt-get install prometheus)`);
      this.skip();
    }
    buildOnce();
    base = arawnDataDir();
    work = tempDir('prom');
  });

  after(async () => {
    prometheus?.kill('SIGTERM');
    await server?.stop();
    if (base) removeDir(base);
    if (work) removeDir(work);
  });

  it('promtool test rules passes on deploy/prometheus', () => {
    const r = spawnSync(PROMTOOL, ['test', 'rules', 'workspace-usage.rules.test.yml'], {
      cwd: path.join(ROOT, 'deploy', 'prometheus'),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const check = spawnSync(PROMTOOL, ['check', 'rules', 'workspace-usage.rules.yml'], {
      cwd: path.join(ROOT, 'deploy', 'prometheus'),
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  it('promtool check metrics accepts /metrics', async () => {
    server = await startServe([base, '--state-dir', path.join(work, 'state')]);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('Prometheus scrapes serve and stores the area series and the rules load', async () => {
    const target = new URL(server!.url).host;
    const port = await freePort();
    writeFileSync(
      path.join(work, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${path.join(ROOT, 'deploy', 'prometheus', 'workspace-usage.rules.yml')}`,
        'scrape_configs:',
        '  - job_name: workspace-usage',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    let log = '';
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(work, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d) => (log += d));
    prometheus.stderr!.on('data', (d) => (log += d));
    const api = `http://127.0.0.1:${port}/api/v1`;
    const query = async (q: string) => {
      try {
        const res = await fetch(`${api}/query?query=${encodeURIComponent(q)}`);
        return (
          (
            (await res.json()) as {
              data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
            }
          ).data?.result ?? []
        );
      } catch {
        return [];
      }
    };
    const scraped = await eventually(
      async () => (await query('workspace_usage_area_bytes{workstream="blog",area="production"}')).length === 1,
      30_000,
      250,
    );
    assert.ok(scraped, `no scrape stored within 30 s:\n${log.slice(-2000)}`);
    const [blog] = await query('workspace_usage_area_bytes{workstream="blog",area="production"}');
    assert.equal(blog.metric.job, 'workspace-usage');
    assert.equal(blog.metric.instance, target);
    assert.equal(Number(blog.value[1]), 1100 * MIB);
    const over = await query('workspace_usage_area_bytes > workspace_usage_area_quota_bytes');
    assert.deepEqual(over.map((r) => `${r.metric.workstream}/${r.metric.area}/${r.metric.session ?? ''}`).sort(), [
      'blog/production/',
      'blog/work/',
      'scratch/sessions/s-002',
    ]);
    const rules = (await (await fetch(`${api}/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    assert.deepEqual(loaded.map((r) => r.name).sort(), [
      'WorkspaceAreaAtWarning',
      'WorkspaceAreaOverQuota',
      'WorkspaceAreaQuotaForecast',
    ]);
    const healthy = await eventually(
      async () => {
        const r = (await (await fetch(`${api}/rules`)).json()) as typeof rules;
        return r.data.groups.flatMap((g) => g.rules).every((x) => x.health === 'ok');
      },
      10_000,
      250,
    );
    assert.ok(healthy, 'every rule evaluates without error');
  });
});
