// Opening an arawn data dir (BASE/workstreams/<ws>/production|work, scratch/sessions/<id>/work):
// the Usage view shows one node per workstream with its production, work and sessions, with the
// same quotas `serve` applies.
import { strict as assert } from 'node:assert';
import { createFixture, sparse, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

const MB = 1024 * 1024;

describe('an arawn data dir', () => {
  let fx: Fixture;
  let wb: Workbench;
  before(async () => {
    fx = createFixture('arawn', {}, {});
    sparse(fx.root, 'workstreams/blog/production/site.tar', 300 * MB);
    sparse(fx.root, 'workstreams/blog/work/draft.bin', 20 * MB);
    sparse(fx.root, 'workstreams/scratch/sessions/s-001/work/a.bin', 30 * MB);
    sparse(fx.root, 'workstreams/scratch/sessions/s-002/work/b.bin', 130 * MB);
    wb = await Workbench.open(fx.root);
  });
  after(async () => wb?.close());

  it('shows one node per workstream with its production, work and sessions', async () => {
    await wb.showView('Usage');
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 's-002'), 30_000);
    const at = (label: string) => rows.findIndex((r) => r.label === label);
    const blog = rows[at('blog')];
    assert.equal(blog.description, '320 MB');
    assert.equal(rows[at('blog') + 1].label, 'production');
    assert.equal(rows[at('blog') + 1].description, '300 MB · 29%');
    assert.equal(rows[at('blog') + 2].label, 'work');
    assert.equal(rows[at('blog') + 2].description, '20 MB · 4%');
    assert.ok(at('scratch') > at('blog'));
    assert.equal(rows[at('s-002')].description, '130 MB · 130%');
    assert.equal(rows[at('s-001')].description, '30 MB · 30%');
    assert.ok(at('s-002') < at('s-001'), 'sessions largest first');
    const status = await wb.statusBar();
    assert.equal(status.kind, 'error');
    assert.equal(status.text, 'session s-002 130 MB / 100 MB');
    await wb.screenshot('arawn');
  });
});
