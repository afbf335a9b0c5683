// `usage` and `check` with --git-ignore (or workspaceUsage.useGitIgnore in .vscode/settings.json):
// what .gitignore files ignore is left out of the sizes and the quota check, and shown apart.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/cli';

/** work/ holds 3000 bytes of cache (ignored) and 100 bytes of its own. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-cli-gi-'));
  const files: Record<string, number | string> = {
    '.gitignore': 'work/cache/\n',
    'work/cache/blob': 3000,
    'work/own': 100,
  };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), typeof content === 'number' ? Buffer.alloc(content) : content);
  }
  return root;
}

describe('workspace-usage --git-ignore', () => {
  let root: string;
  beforeEach(() => (root = workspace()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('usage --json: the work area counts what is not ignored; excluded carries the cache', async () => {
    const off = JSON.parse((await run(['usage', '--json', root], root)).out);
    assert.equal(off.excluded, undefined);
    const r = await run(['usage', '--json', '--git-ignore', root], root);
    assert.equal(r.code, 0);
    const on = JSON.parse(r.out);
    const work = on.areas.find((a: { name: string }) => a.name === 'work');
    const workOff = off.areas.find((a: { name: string }) => a.name === 'work');
    assert.equal(workOff.bytes, 3100);
    assert.equal(work.bytes, 100);
    assert.equal(work.excluded.bytes, 3000);
    assert.equal(work.excluded.files, 1);
    assert.equal(on.total_bytes + on.excluded.bytes, off.total_bytes);
  });

  it('check: a quota exceeded only by ignored bytes holds with --git-ignore or the setting', async () => {
    assert.equal((await run(['check', '--quota', 'work=1KB', root], root)).code, 1);
    assert.equal((await run(['check', '--quota', 'work=1KB', '--git-ignore', root], root)).code, 0);
    mkdirSync(join(root, '.vscode'));
    writeFileSync(join(root, '.vscode', 'settings.json'), '{ "workspaceUsage.useGitIgnore": true }');
    assert.equal((await run(['check', '--quota', 'work=1KB', root], root)).code, 0);
  });

  it('the table shows one excluded row', async () => {
    const r = await run(['usage', '--git-ignore', root], root);
    assert.match(r.out, /^excluded \(\.gitignore\)\s+2\.9 kB\s+1$/m);
  });
});
