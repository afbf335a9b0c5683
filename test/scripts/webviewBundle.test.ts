// The report page's script as esbuild.mjs bundles it for the webview: it builds for the browser
// (a Node built-in reached from core would fail here, not in the editor), and it keeps the page's
// guarantee that nothing is parsed as HTML: no HTML sinks anywhere in the bundle, core modules
// included, and the one DOMParser call reads SVG.
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = resolve(__dirname, '../..');

describe('report page bundle', function () {
  this.timeout(60_000);
  let code = '';

  before(async () => {
    const result = await esbuild.build({
      absWorkingDir: repoRoot,
      entryPoints: ['src/webview/report.ts'],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    code = result.outputFiles[0].text;
  });

  it('has no HTML sink: innerHTML, outerHTML, insertAdjacentHTML, document.write, srcdoc, createContextualFragment', () => {
    for (const sink of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'srcdoc',
      'createContextualFragment',
    ]) {
      assert.ok(!code.includes(sink), `the bundle uses ${sink}`);
    }
    const parses = [...code.matchAll(/parseFromString\(([^)]*)\)/g)].map((m) => m[1]);
    assert.equal(parses.length, 1, parses.join('; '));
    assert.match(parses[0], /"image\/svg\+xml"$/);
  });

  it('formats sizes with core formatSize (its non-finite branch is in the bundle), with no require', () => {
    assert.ok(code.includes('? bytes'), 'formatSize from src/core/format/size.ts is not in the bundle');
    assert.ok(!/require\(/.test(code), 'a CommonJS require reached the browser bundle');
  });
});
