// The memory the parallel scan's coordinator and workers share: per worker a "donate now" flag,
// a pending-folder count and an "out of work" flag, in cells that do not overlap, seen through any
// view of the buffer.
import { strict as assert } from 'node:assert';
import { ShareBoard } from '../../../src/core/disk/parallelScan';

describe('ShareBoard', () => {
  it("keeps each worker's flag and pending count apart, visible to the other side of the buffer", () => {
    const coordinator = ShareBoard.create(3);
    const worker = new ShareBoard(coordinator.buffer, 3);
    worker.setPending(0, 5);
    worker.setPending(2, 9);
    coordinator.ask(1);
    assert.deepEqual(
      [0, 1, 2].map((id) => worker.asked(id)),
      [false, true, false],
    );
    assert.deepEqual(
      [0, 1, 2].map((id) => coordinator.pending(id)),
      [5, 0, 9],
    );
    worker.clear(1);
    assert.equal(coordinator.asked(1), false);
    assert.deepEqual(
      [0, 1, 2].map((id) => coordinator.pending(id)),
      [5, 0, 9],
    );
  });

  it('says whether any worker is out of work, apart from the other cells', () => {
    const coordinator = ShareBoard.create(3);
    const worker = new ShareBoard(coordinator.buffer, 3);
    worker.setPending(0, 7);
    coordinator.ask(2);
    assert.equal(coordinator.anyHungry(), false);
    worker.setHungry(2, true);
    assert.equal(coordinator.anyHungry(), true);
    worker.setHungry(0, true);
    coordinator.setHungry(2, false);
    assert.equal(coordinator.anyHungry(), true);
    coordinator.setHungry(0, false);
    assert.equal(worker.anyHungry(), false);
    assert.equal(worker.asked(2), true);
    assert.equal(worker.pending(0), 7);
  });
});
