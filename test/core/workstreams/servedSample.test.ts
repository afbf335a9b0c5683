// The server's history sample is the editor's (core's sampleInputOf) with the served labels:
// the same figures per area, only the names and the set of served areas differ.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultSettings } from '../../../src/core/config/settings';
import { computeUsage, type UsageReport } from '../../../src/core/disk/areas';
import { scanSync } from '../../../src/core/disk/scanner';
import { sampleInputOf } from '../../../src/core/history/sampleInput';
import { servedSampleOf } from '../../../src/core/workstreams/figures';
import { detectLayout, settingsForLayout } from '../../../src/core/workstreams/layout';

describe('servedSampleOf (the history sample of `serve`)', () => {
  let base: string;
  beforeEach(() => (base = mkdtempSync(path.join(tmpdir(), 'wu-served-'))));
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  function write(files: Record<string, number>): void {
    for (const [rel, size] of Object.entries(files)) {
      mkdirSync(path.join(base, rel, '..'), { recursive: true });
      writeFileSync(path.join(base, rel), Buffer.alloc(size));
    }
  }

  function reportOf(): { report: UsageReport; layout: ReturnType<typeof detectLayout> } {
    const layout = detectLayout(base);
    const settings = settingsForLayout(layout, defaultSettings());
    return { report: computeUsage(scanSync(layout.root).tree, settings, layout.root), layout };
  }

  it("arawn: core's sample, areas named by label; scratch's empty work/ and non-workstreams left out", () => {
    write({
      'workstreams/blog/production/site.tar': 1100,
      'workstreams/blog/work/draft.bin': 520,
      'workstreams/scratch/sessions/s-002/work/y': 130,
      'workstreams/.hidden/work/z': 7,
    });
    mkdirSync(path.join(base, 'workstreams', 'scratch', 'work'));
    const { report, layout } = reportOf();
    // The editor's sample has every area of the report, these two included.
    assert.ok(report.areas.some((a) => a.name === 'work/.hidden' && a.bytes === 7));
    assert.ok(report.areas.some((a) => a.name === 'work/scratch'));
    const core = sampleInputOf(report);
    const served = servedSampleOf(report, layout);
    assert.equal(served.total_bytes, core.total_bytes);
    assert.equal(served.files, core.files);
    assert.equal(served.folder_quota_bytes, core.folder_quota_bytes);
    const byName = new Map(core.areas.map((a) => [a.name, a]));
    assert.deepEqual(served.areas, [
      { ...byName.get('production/blog')!, name: 'blog/production' },
      { ...byName.get('production/scratch')!, name: 'scratch/production' },
      { ...byName.get('work/blog')!, name: 'blog/work' },
      { ...byName.get('sessions/s-002')!, name: 'scratch/sessions/s-002' },
    ]);
    assert.deepEqual(
      served.areas.map((a) => a.bytes),
      [1100, 0, 520, 130],
    );
  });

  it("a single workstream: exactly core's sample (labels are the configured area names)", () => {
    write({ 'production/a.md': 10, 'work/b.md': 20 });
    const { report, layout } = reportOf();
    assert.equal(layout.kind, 'single');
    assert.deepEqual(servedSampleOf(report, layout), sampleInputOf(report));
  });
});
