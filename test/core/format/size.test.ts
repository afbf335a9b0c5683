import { strict as assert } from 'node:assert';
import { formatSize, parseSize, toWholeMB } from '../../../src/core/format/size';

describe('formatSize', () => {
  it('uses bytes below 1 kB, singular for one byte', () => {
    assert.equal(formatSize(0), '0 bytes');
    assert.equal(formatSize(1), '1 byte');
    assert.equal(formatSize(1023), '1023 bytes');
  });
  it('uses 1024-based units with one decimal below 100', () => {
    assert.equal(formatSize(1024), '1 kB');
    assert.equal(formatSize(1536), '1.5 kB');
    assert.equal(formatSize(12.5 * 1024 ** 3), '12.5 GB');
    assert.equal(formatSize(450 * 1024 ** 2), '450 MB');
    assert.equal(formatSize(99.94 * 1024 ** 2), '99.9 MB');
  });
  it('carries a rounded 1024 into the next unit', () => {
    assert.equal(formatSize(1024 * 1024 - 1), '1 MB');
  });
});

describe('parseSize', () => {
  it('reads byte counts and 1024-based units in any case', () => {
    assert.equal(parseSize(500), 500);
    assert.equal(parseSize('500'), 500);
    assert.equal(parseSize('500 MB'), 500 * 1024 ** 2);
    assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('100 gb'), 100 * 1024 ** 3);
    assert.equal(parseSize('2 kB'), 2048);
  });
  it('rejects what is not a size', () => {
    for (const bad of ['lots', '-1 MB', '1 XB', '', '1e3', null, {}, -5, Number.NaN])
      assert.equal(parseSize(bad), undefined, String(bad));
  });
  it('round-trips through whole MB', () => {
    assert.equal(toWholeMB(parseSize('450 MB')!), 450);
    assert.equal(toWholeMB(1024 ** 2 - 1), 0);
  });
});
