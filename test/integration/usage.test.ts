// What a developer sees of disk usage: the Usage view, the status bar, live updates, quota levels.
import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('Usage view and status bar', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async () => {
    fx = createFixture(
      'usage',
      {
        'workspaceUsage.areas': [
          { name: 'production', pattern: 'production', quota: '1 MB' },
          { name: 'work', pattern: 'work', quota: '100 kB', warningAt: 0.8 },
          { name: 'sessions', pattern: 'sessions/*/work', quota: '50 kB' },
        ],
        'workspaceUsage.folderQuota': '10 MB',
      },
      {
        'production/export.parquet': 300 * KB,
        'production/models/a.bin': 12_345,
        'work/scratch.csv': 50 * KB,
        'sessions/abc-123/work/download.tar': 10 * KB,
        'sessions/def-456/work/cache.db': 20 * KB + 7,
        'README.md': 'hello\n',
      },
    );
    wb = await Workbench.open(fx.root);
  });
  after(async () => {
    if (wb) await wb.screenshot('usage-final');
    await wb?.close();
  });

  it('lists production, work and each session with their exact sizes', async () => {
    await wb.showView('Usage');
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'production' && x.description !== ''));
    const byLabel = new Map(rows.map((r) => [r.label, r]));
    assert.equal(
      byLabel.get('production')?.description,
      `${formatSize(300 * KB + 12_345)} · ${Math.round(((300 * KB + 12_345) / (1024 * KB)) * 100)}%`,
    );
    assert.equal(byLabel.get('work')?.description, `${formatSize(50 * KB)} · 50%`);
    assert.equal(byLabel.get('abc-123')?.description, `${formatSize(10 * KB)} · 20%`);
    assert.match(
      byLabel.get('def-456')?.description ?? '',
      new RegExp(`^${formatSize(20 * KB + 7).replace('.', '\\.')} · 40`),
    );
    assert.ok(byLabel.has('other'), 'an "other" row');
    await wb.screenshot('usage-view');
  });

  it('shows the folder total against its quota in the status bar', async () => {
    const total = 300 * KB + 12_345 + 50 * KB + 10 * KB + 20 * KB + 7 + 6 + fx.size('.vscode/settings.json');
    const status = await wb.waitForStatus((s) => s.text.includes('/'));
    assert.equal(status.text, `${formatSize(total)} / 10 MB`);
    assert.equal(status.kind, 'normal');
  });

  it('updates the view and the status bar within 2 s of a file growing', async () => {
    fx.append('work/scratch.csv', 10 * KB); // 60 kB: 60%
    const started = Date.now();
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description === `${formatSize(60 * KB)} · 60%`),
      2000,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed <= 2000, `took ${elapsed} ms`);
    await wb
      .waitForStatus((s) => s.text.startsWith(formatSize(300 * KB + 12_345 + 60 * KB + 30 * KB + 7)), 2000)
      .catch(() => undefined);
  });

  it('turns the status bar to warning past the warning fraction, and to error past the quota', async () => {
    fx.append('work/scratch.csv', 25 * KB); // 85 kB of 100 kB: warning
    const warning = await wb.waitForStatus((s) => s.kind === 'warning', 5000);
    assert.equal(warning.text, `work ${formatSize(85 * KB)} / 100 kB`);
    await wb.screenshot('status-warning');
    fx.append('work/scratch.csv', 20 * KB); // 105 kB: exceeded
    const error = await wb.waitForStatus((s) => s.kind === 'error', 5000);
    assert.equal(error.text, `work ${formatSize(105 * KB)} / 100 kB`);
    const rows = await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 'work' && x.description.endsWith('105%')),
    );
    assert.ok(rows.find((r) => r.label === 'work'));
    await wb.screenshot('status-error');
  });

  it('raises one notification when an area crosses into exceeded', async () => {
    const texts = await wb.notifications();
    assert.ok(
      texts.some((t) => /work exceeds its 100 kB quota/.test(t)),
      `notifications: ${JSON.stringify(texts)}`,
    );
  });

  it('lists the largest files under an area', async () => {
    await wb.expandRow('Usage', 'production');
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'export.parquet'));
    const file = rows.find((r) => r.label === 'export.parquet')!;
    assert.equal(file.description, formatSize(300 * KB));
    const models = rows.find((r) => r.label === 'models')!;
    assert.equal(models.description, formatSize(12_345));
  });

  it('marks the area over its quota in the Explorer with a badge and a colour', async () => {
    const work = await wb.explorerDecoration('work');
    assert.equal(work.badge, '!!');
    const plain = await wb.explorerDecoration('README.md', 1000);
    assert.equal(plain.badge, '', 'an ordinary file has no badge');
    assert.notEqual(work.color, plain.color, 'the area is drawn in the error colour');
    await wb.screenshot('explorer-decorations');
  });
});
