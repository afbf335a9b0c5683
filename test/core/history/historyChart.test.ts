import { strict as assert } from 'node:assert';
import { escapeXml, niceSizeTicks, renderHistoryChartSvg } from '../../../src/core/history/historyChart';
import type { Sample } from '../../../src/core/history/historyStore';
import { DAY, MB } from './helpers';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

function samples(n: number, names = ['work', 'production']): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    at: T0 + i * DAY,
    total_bytes: (100 + 10 * i) * MB,
    files: 10 + i,
    areas: Object.fromEntries(
      names.map((name, k) => [name, { bytes: (20 + k * 30 + i) * MB, files: 1, quota_bytes: 500 * MB }]),
    ),
  }));
}

/** A small XML well-formedness check: balanced tags, quoted attributes, only known entities, no bare < or &. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39);)/g;
  let m: RegExpExecArray | null;
  let rootSeen = false;
  while ((m = token.exec(xml))) {
    if (m[2] === undefined)
      assert.fail(`bare ${m[0]} at ${m.index}: ${xml.slice(Math.max(0, m.index - 40), m.index + 40)}`);
    if (m[1]) {
      assert.equal(stack.pop(), m[2], `closing </${m[2]}> at ${m.index}`);
    } else if (!m[4]) {
      if (stack.length === 0) {
        assert.ok(!rootSeen, 'one root element');
        rootSeen = true;
      }
      stack.push(m[2]);
    }
  }
  assert.deepEqual(stack, []);
  assert.ok(rootSeen);
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('renderHistoryChartSvg', () => {
  it('says "No history yet" without samples', () => {
    const svg = renderHistoryChartSvg([], { width: 600, height: 240 });
    assertWellFormedXml(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, />No history yet<\/text>/);
    assert.match(svg, /<title[^>]*>/);
    assert.equal(count(svg, '<polyline'), 0);
  });

  it('draws one polyline per series: the total and each area', () => {
    const svg = renderHistoryChartSvg(samples(10), { width: 800, height: 300 });
    assertWellFormedXml(svg);
    assert.equal(count(svg, '<polyline'), 3);
    for (const line of svg.match(/<polyline points="[^"]*"/g)!) assert.equal(line.split(' ').length - 1, 10, line);
    assert.equal(
      count(renderHistoryChartSvg(samples(10), { width: 800, height: 300, series: ['work'] }), '<polyline'),
      2,
    );
    assert.equal(
      count(renderHistoryChartSvg(samples(10), { width: 800, height: 300, includeTotal: false }), '<polyline'),
      2,
    );
    assert.equal(
      count(
        renderHistoryChartSvg(samples(10, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), { width: 800, height: 300 }),
        '<polyline',
      ),
      9,
    );
  });

  it('is theme-aware: currentColor and VS Code chart colours, no styles or scripts', () => {
    const svg = renderHistoryChartSvg(samples(5), { width: 800, height: 300 });
    assert.match(svg, /stroke="currentColor"/);
    assert.match(svg, /stroke="var\(--vscode-charts-blue, #[0-9a-f]{6}\)"/);
    assert.match(svg, /stroke="var\(--vscode-charts-orange, #[0-9a-f]{6}\)"/);
    assert.doesNotMatch(svg, /style=|<style|<script|\son\w+=|href=/i);
  });

  it('labels axes with human sizes and dates, and has a legend and titles', () => {
    const svg = renderHistoryChartSvg(samples(30), { width: 900, height: 320 });
    assertWellFormedXml(svg);
    assert.match(svg, />0 bytes<\/text>/);
    assert.match(svg, />\d+ MB<\/text>/);
    assert.match(svg, />2026-03-01<\/text>/);
    assert.match(svg, />2026-03-30<\/text>/);
    assert.match(svg, /class="legend"/);
    assert.match(svg, />Total \(390 MB\)<\/text>/);
    assert.match(svg, /<title>work: 49 MB on /);
    assert.ok(count(svg, '<title') >= 4);
    assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  });

  it('handles one sample and many samples', () => {
    const one = renderHistoryChartSvg(samples(1), { width: 600, height: 240 });
    assertWellFormedXml(one);
    assert.equal(count(one, '<polyline'), 3);
    assert.equal(count(one, '<circle'), 3);
    assert.doesNotMatch(one, /NaN|Infinity/);
    const many = renderHistoryChartSvg(samples(500), { width: 600, height: 240 });
    assertWellFormedXml(many);
    assert.equal(count(many, '<polyline'), 3);
    assert.equal(count(many, '<circle'), 0);
    assert.doesNotMatch(many, /NaN|Infinity/);
  });

  it('escapes area names', () => {
    const svg = renderHistoryChartSvg(samples(3, ['<script>alert("x")</script>', "a & b\u0001'q'"]), {
      width: 800,
      height: 300,
    });
    assertWellFormedXml(svg);
    assert.doesNotMatch(svg, /<script/);
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(svg.includes('a &amp; b&#39;q&#39;'));
    assert.ok(!svg.includes('\u0001'));
    assert.equal(count(svg, '<polyline'), 3);
  });
});

describe('chart helpers', () => {
  it('escapeXml', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('niceSizeTicks covers the maximum with round steps', () => {
    assert.deepEqual(niceSizeTicks(390 * MB), [0, 100 * MB, 200 * MB, 300 * MB, 400 * MB]);
    assert.deepEqual(niceSizeTicks(0), [0]);
    const t = niceSizeTicks(3 * 1024 ** 3);
    assert.ok(t[t.length - 1] >= 3 * 1024 ** 3);
  });
});
