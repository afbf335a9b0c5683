// The history file's write path on its own: open writes a fresh file, appends go to the end
// while the file is as this writer left it, another writer's lines are merged before the next
// write, and a file over the line limit is rewritten whole.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { realFs } from '../../../src/core/fs/durableFile';
import { manualClock } from '../../../src/core/history/clock';
import { HistoryFile, type HistoryWarning } from '../../../src/core/history/historyFile';
import { parseHistoryText, sampleFrom, sampleLine } from '../../../src/core/history/historyFormat';
import { HistoryMemory } from '../../../src/core/history/historyMemory';
import { tempDir } from './helpers';

const START = Date.UTC(2026, 0, 10, 12);
const sample = (at: number) => sampleFrom({ total_bytes: at - START, files: 1, areas: [] }, at);

async function lineCount(file: string): Promise<number> {
  return (await fs.readFile(file, 'utf8')).split('\n').filter(Boolean).length;
}

describe('HistoryFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function open(retention = 90): { memory: HistoryMemory; disk: HistoryFile; warnings: HistoryWarning[] } {
    const memory = new HistoryMemory(retention, manualClock(START));
    const warnings: HistoryWarning[] = [];
    const disk = new HistoryFile(path.join(dir, 'history.jsonl'), memory, {
      fs: realFs,
      lock: { fs: realFs },
      clock: manualClock(START),
      report: (w) => warnings.push(w),
    });
    return { memory, disk, warnings };
  }

  it('starts a file on open, appends, and merges what another writer appended before writing again', async () => {
    const { memory, disk, warnings } = open();
    await disk.open();
    assert.equal(disk.needsRewrite, false);
    const file = disk.file;
    assert.equal(await lineCount(file), 1, 'the header');
    await disk.persist(() => [sampleLine(sample(START + 1))]);
    assert.equal(await lineCount(file), 2);
    // Another writer appends a sample: the next write reads it into memory first, then appends.
    await fs.appendFile(file, `${sampleLine(sample(START + 2))}\n`);
    await disk.persist(() => [sampleLine(sample(START + 3))]);
    assert.deepEqual(
      memory.samples.map((s) => s.at),
      [START + 1, START + 2],
      'the file re-read: both in memory',
    );
    const read = parseHistoryText(await fs.readFile(file, 'utf8'));
    assert.equal(read.kind, 'ok');
    if (read.kind === 'ok')
      assert.deepEqual(
        read.samples.map((s) => s.at),
        [START + 1, START + 2, START + 3],
      );
    assert.deepEqual(warnings, []);
  });

  it('rewrites the file whole from memory once appends would pass the line limit', async () => {
    const { memory, disk } = open(1);
    await disk.open();
    const limit = 4 * 1 + 64;
    // The header and limit - 1 samples: appended, although memory keeps only one sample.
    for (let i = 0; i < limit - 1; i++) await disk.persist(() => [sampleLine(sample(START + i))]);
    assert.equal(await lineCount(disk.file), limit);
    memory.samples = [sample(START + 999)];
    await disk.persist(() => ['{"type":"unused"}']);
    const read = parseHistoryText(await fs.readFile(disk.file, 'utf8'));
    assert.equal(read.kind, 'ok');
    if (read.kind === 'ok')
      assert.deepEqual(
        read.samples.map((s) => s.at),
        [START + 999],
      );
  });
});
