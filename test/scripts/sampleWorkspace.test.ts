// The sample workspace `npm start` opens (and the budget integration test uses) carries a
// realistic resident context: its summary and decision records, injected into every session,
// come to several hundred tokens, well above the 100-token budget the check names. The
// CLI's record report must read the same figure from the generated log.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../../scripts/lib/sampleWorkspace.mjs';
import { runRecords } from '../../src/cli/recordsCommand';
import { captureIO } from '../support/cli';
import { residentTokensOfLog } from '../integration/harness/fixtures';

describe('sample workspace (scripts/lib/sampleWorkspace.mjs)', () => {
  let parent: string;
  let root: string;
  before(() => {
    parent = mkdtempSync(join(tmpdir(), 'wu-sample-unit-'));
    root = createSampleWorkspace(join(parent, 'sample-workspace')) as string;
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('has resident records of several hundred tokens per injection, as the CLI reports them', async () => {
    const io = captureIO(root);
    assert.equal(await runRecords([root, '--json'], io), 0);
    const records = (
      JSON.parse(io.out) as {
        records: Array<{
          kind: string;
          slug: string;
          resident_exposure_count: number;
          estimated_tokens_per_injection: number;
        }>;
      }
    ).records.filter((r) => r.resident_exposure_count > 0);
    assert.deepEqual(records.map((r) => `${r.kind}/${r.slug}`).sort(), [
      'decision/retry-policy',
      'decision/use-parquet',
      'summary/summary',
    ]);
    const total = records.reduce((n, r) => n + r.estimated_tokens_per_injection, 0);
    assert.equal(total, residentTokensOfLog(root));
    // Well above a 100-token budget; under 1,000 so the status bar shows the plain figure.
    assert.ok(total >= 300 && total < 1000, `resident tokens per injection: ${total}`);
    const summary = records.find((r) => r.kind === 'summary')!;
    assert.ok(summary.estimated_tokens_per_injection >= 200, `summary: ${summary.estimated_tokens_per_injection}`);
  });
});
