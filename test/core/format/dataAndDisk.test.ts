import { strict as assert } from 'node:assert';
import { dataAndDisk } from '../../../src/core/format/dataAndDisk';
import { formatSize } from '../../../src/core/format/size';

describe('dataAndDisk', () => {
  it('labels both figures: data first, then what du -sB1 counts', () => {
    assert.equal(
      dataAndDisk(9_600_000, 424_000_000),
      `${formatSize(9_600_000)} of data · ${formatSize(424_000_000)} on disk`,
    );
  });
});
