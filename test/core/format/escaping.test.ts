// Text from files and logs on a terminal and in CSV; relative times of any number.
import { strict as assert } from 'node:assert';
import { csv, csvField } from '../../../src/core/format/csv';
import { formatRelativeTime, UNKNOWN_TIME } from '../../../src/core/format/relativeTime';
import { escapeTerminal } from '../../../src/core/format/terminal';
import { rng } from '../../support/rng';

describe('escapeTerminal', () => {
  it('writes ESC, line breaks, other C0/C1, separators and bidi controls as visible text', () => {
    assert.equal(escapeTerminal('a\u001b[2Jb'), 'a\\e[2Jb');
    assert.equal(escapeTerminal('x\ny\rz\tw'), 'x\\ny\\rz\\tw');
    assert.equal(escapeTerminal('\u0000\u0007\u007f\u0085\u009b'), '\\x00\\x07\\x7f\\x85\\x9b');
    assert.equal(escapeTerminal('a\u2028b\u2029c'), 'a\\u2028b\\u2029c');
    assert.equal(escapeTerminal('\u202eevil\u2066'), '\\u202eevil\\u2066');
  });

  it('leaves printable text in any script alone, and the result never holds a control character', () => {
    for (const s of ['plain-slug', 'naïve ü 日本語 😀', 'C:\\path\\x', '']) assert.equal(escapeTerminal(s), s);
    const rand = rng(42);
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: 20 }, () => String.fromCharCode(Math.floor(rand() * 0x2100))).join('');
      assert.doesNotMatch(escapeTerminal(s), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      assert.equal(escapeTerminal(escapeTerminal(s)), escapeTerminal(s)); // idempotent: no control left
    }
  });
});

describe('csvField', () => {
  it('prefixes text a spreadsheet would run as a formula, leading whitespace included', () => {
    for (const s of ['=1+2', '+1', '-x', '@SUM(A1)', '\tx', '\rx', ' =cmd|x', '  @x', '\n-1']) {
      assert.ok(csvField(s).replace(/^"/, '').startsWith("'"), `${JSON.stringify(s)} -> ${csvField(s)}`);
    }
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField(-5), '-5'); // numbers stay numbers
    assert.equal(csvField('a-b'), 'a-b');
  });

  it('quotes fields with leading or trailing spaces, which bare-field readers trim', () => {
    assert.equal(csvField(' a'), '" a"');
    assert.equal(csvField('a '), '"a "');
    assert.equal(csv([['a', 'b c']]), 'a,b c\r\n');
  });
});

describe('formatRelativeTime', () => {
  it('never throws, whatever the numbers (NaN, infinities, extremes, -0)', () => {
    const odd = [
      NaN,
      Infinity,
      -Infinity,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      -0,
      0,
      1e300,
      -1e300,
      8.64e15,
      -8.64e15,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const then of odd) {
      for (const now of odd) {
        const text = formatRelativeTime(then, now);
        assert.equal(typeof text, 'string');
        assert.ok(text.length > 0);
      }
    }
    assert.equal(formatRelativeTime(NaN, 0), UNKNOWN_TIME);
    assert.equal(formatRelativeTime(Infinity, 0), UNKNOWN_TIME);
    assert.equal(formatRelativeTime(Number.MAX_VALUE, -Number.MAX_VALUE), UNKNOWN_TIME); // the difference overflows
    assert.equal(formatRelativeTime(Date.parse('2016-12-31T23:59:60Z'), 0), UNKNOWN_TIME);
  });

  it('still words ordinary times', () => {
    assert.equal(formatRelativeTime(0, 3 * 60_000), '3 minutes ago');
    assert.equal(formatRelativeTime(2 * 86_400_000, 0), 'in 2 days');
  });
});
