// File names as one UTF-8 block with offsets (nameBlock.ts): what goes in comes out, multibyte
// names included; look-ups compare bytes; the builder grows; a damaged block is named as such.
import { strict as assert } from 'node:assert';
import { NameBlock, NameBlockBuilder } from '../../../src/core/disk/nameBlock';
import { runAll } from '../../../src/core/sched/slices';

const odd = ['plain.txt', 'ünïcödé', '😀 emoji', '中文名字', '', 'x'.repeat(500), 'line\nbreak', 'é'];

describe('NameBlock', () => {
  it('gives back every name, multibyte UTF-8 and empty names included', () => {
    const block = NameBlock.of(odd);
    assert.equal(block.length, odd.length);
    assert.deepEqual(block.toArray(), odd);
    assert.equal(block.byteLength, Buffer.byteLength(odd.join('')));
    for (let i = 0; i < odd.length; i++) assert.equal(block.at(i), odd[i]);
  });

  it('finds names by their bytes, within a range, without confusing prefixes', () => {
    const block = NameBlock.of(['ab', 'a', 'abc', '😀', 'a', 'é']);
    assert.equal(block.indexOf('a'), 1);
    assert.equal(block.indexOf('a', 2), 4);
    assert.equal(block.indexOf('a', 2, 4), -1);
    assert.equal(block.indexOf('abc'), 2);
    assert.equal(block.indexOf('😀'), 3);
    assert.equal(block.indexOf('e'), -1);
    assert.equal(block.indexOf('é'), 5);
    assert.ok(block.equalsAt(0, 'ab'));
    assert.ok(!block.equalsAt(0, 'a'));
  });

  it('an empty block has no names', () => {
    for (const block of [NameBlock.EMPTY, NameBlock.of([]), new NameBlockBuilder().finish()]) {
      assert.equal(block.length, 0);
      assert.equal(block.byteLength, 0);
      assert.deepEqual(block.toArray(), []);
      assert.equal(block.indexOf(''), -1);
    }
  });

  it('the builder grows past its first buffers and its block owns buffers of exact size', () => {
    const b = new NameBlockBuilder(1, 1);
    const names = Array.from({ length: 5000 }, (_, i) => `${'ü'.repeat(i % 40)}-${i}`);
    for (const n of names) b.push(n);
    const block = b.finish();
    assert.deepEqual(block.toArray(), names);
    assert.equal(block.bytes.byteOffset, 0);
    assert.equal(block.bytes.buffer.byteLength, block.byteLength);
    assert.equal(block.offsets.length, names.length + 1);
  });

  it('copies a name from another block as bytes, and concatenates blocks with shifted offsets', () => {
    const a = NameBlock.of(['one', 'zwei', 'три']);
    const b = new NameBlockBuilder();
    b.pushFrom(a, 2);
    b.push('x');
    b.pushFrom(a, 0);
    assert.equal(b.pushRange(a, 1, 3), 3);
    b.pushRange(a, 0, 0);
    assert.deepEqual(b.finish().toArray(), ['три', 'x', 'one', 'zwei', 'три']);
    const joined = NameBlock.concat([a, NameBlock.EMPTY, NameBlock.of(['😀', ''])]);
    assert.deepEqual(joined.toArray(), ['one', 'zwei', 'три', '😀', '']);
  });

  it('names what is wrong with arrays that do not form a block', () => {
    const bytes = Buffer.from('abcdef');
    assert.equal(runAll(NameBlock.invalid(bytes, Uint32Array.of(0, 2, 6), 2)), null);
    assert.match(runAll(NameBlock.invalid(bytes, Uint32Array.of(0, 2, 6), 3))!, /count/);
    assert.match(runAll(NameBlock.invalid(bytes, Uint32Array.of(1, 2, 6), 2))!, /start/);
    assert.match(runAll(NameBlock.invalid(bytes, Uint32Array.of(0, 4, 2, 6), 3))!, /backwards/);
    assert.match(runAll(NameBlock.invalid(bytes, Uint32Array.of(0, 2, 9), 2))!, /end/);
  });
});
