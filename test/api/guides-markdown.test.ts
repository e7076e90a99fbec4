// The guides' tiny Markdown renderer: what the guides use renders, and nothing in a guide can
// inject markup or a script URL.
import { renderInline, renderMarkdown, slugOf } from '../../api/guides/markdown';

describe('guide markdown', () => {
  it('renders headings with GitHub-style ids, lists, tables and code', () => {
    const html = renderMarkdown('# Tokens and billing\n\n- one\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```html\n<script>\n```');
    expect(html).toContain('<h1 id="tokens-and-billing">Tokens and billing</h1>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<th scope="col">A</th>');
    expect(html).toContain('<pre><code>&lt;script&gt;</code></pre>');
  });

  it('escapes HTML written in the text', () => {
    expect(renderInline('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('drops a javascript: link, keeping its label', () => {
    expect(renderInline('[click](javascript:void%200)')).toBe('click');
    expect(renderInline('![x](data:image/png;base64,AAAA)')).toBe('x');
  });

  it('rewrites guide and screenshot links through the given function', () => {
    const html = renderInline('[FAQ](faq.md) ![Billing](../screenshots/billing-1280.png)', (href) => (href === 'faq.md' ? '/guides/faq' : '/guides/screenshots/billing-1280.png'));
    expect(html).toBe('<a href="/guides/faq">FAQ</a> <img src="/guides/screenshots/billing-1280.png" alt="Billing" loading="lazy">');
  });

  it('keeps code spans literal', () => {
    expect(renderInline('`**not bold**` and **bold**')).toBe('<code>**not bold**</code> and <strong>bold</strong>');
  });

  it('makes ids like GitHub', () => {
    expect(slugOf('1. Sign up')).toBe('1-sign-up');
  });
});
