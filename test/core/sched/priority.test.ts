// Lowering a process's CPU priority reaches every thread of it (on Linux a nice value is a
// thread's), read back from /proc as the kernel has it.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BACKGROUND_NICE, lowerPriority } from '../../../src/core/sched/priority';
import { threadNices } from '../../support/threads';

describe('scan priority', function () {
  before(function () {
    if (!existsSync('/proc/self/task')) this.skip();
  });

  it('lowers every thread of another process, worker threads included', async () => {
    // A Node process with a worker thread, waiting.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "const { Worker } = require('node:worker_threads'); new Worker('setTimeout(() => {}, 30000)', { eval: true }).on('online', () => console.log('ready')); setTimeout(() => {}, 30000);",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const before = threadNices(child.pid!);
      assert.ok(before.length >= 3, `threads: ${before.length}`);
      assert.deepEqual(
        before.filter((n) => n !== 0),
        [],
      );
      lowerPriority(child.pid);
      assert.deepEqual(
        threadNices(child.pid!),
        before.map(() => BACKGROUND_NICE),
      );
    } finally {
      child.kill();
    }
  });

  it('leaves a process that is gone alone', () => {
    assert.doesNotThrow(() => lowerPriority(2 ** 22 + 12345));
  });
});
