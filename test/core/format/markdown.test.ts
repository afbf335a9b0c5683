import { strict as assert } from 'node:assert';
import { escapeMarkdown } from '../../../src/core/format/markdown';

describe('escapeMarkdown (tooltips and the Markdown export)', () => {
  it('leaves no remote image, link, HTML, theme icon or table cell break in an area name', () => {
    const name =
      '![x](https://evil.example/x.png) [click](command:workbench.action.quit) <img src=x> $(zap) a|b `code`';
    assert.equal(
      escapeMarkdown(name),
      '!\\[x\\](https://evil.example/x.png) \\[click\\](command:workbench.action.quit) \\<img src=x\\> \\$(zap) a\\|b \\`code\\`',
    );
  });

  it('flattens every line break, so nothing starts a heading, and shows control characters', () => {
    assert.equal(escapeMarkdown('#a\r# b\u2028## c'), '\\#a # b ## c');
    assert.equal(escapeMarkdown('x\u001b[2Jy'), 'x\\e\\[2Jy');
  });

  it('keeps ordinary names as they are', () => {
    assert.equal(escapeMarkdown('session abc-123 (1.5 MB)'), 'session abc-123 (1.5 MB)');
  });
});
