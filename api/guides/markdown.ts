// A small Markdown-to-HTML renderer for our own user guides (docs/guides/*.md): headings,
// paragraphs, lists, fenced code, block quotes, pipe tables, images, links, `code`, **bold**
// and *italic*. Our guides are the only input, but everything is escaped anyway, and only
// http(s), relative and fragment URLs survive. Written here rather than a dependency: the
// guides use a fixed, small subset, and a full CommonMark parser would be the API's largest
// package for five pages.

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface LinkRewrite {
  /** A link's target as written in the guide (e.g. `faq.md`, `../screenshots/x.png`) → where it points when served. */
  (href: string, kind: 'link' | 'image'): string;
}

/** http(s), or a URL with no scheme at all (relative, absolute path, fragment); `javascript:` and the like are dropped. */
function safeUrl(href: string): string | null {
  if (/^https?:\/\//i.test(href)) return href;
  return /^[^/?#]*:/.test(href) ? null : href;
}

/** Inline spans of one line of text: escaped first, then the few marks turned into tags. */
export function renderInline(text: string, rewrite: LinkRewrite = (h) => h): string {
  const codes: string[] = [];
  // Code spans are taken out first (behind private-use placeholders), so their content is never read as marks.
  let s = text.replace(/`([^`]+)`/g, (_m, code: string) => `\uE000${codes.push(`<code>${escapeHtml(code)}</code>`) - 1}\uE001`);
  s = escapeHtml(s);
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, href: string) => {
    const url = safeUrl(rewrite(href.replace(/&amp;/g, '&'), 'image'));
    return url ? `<img src="${escapeHtml(url)}" alt="${alt}" loading="lazy">` : alt;
  });
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => {
    const url = safeUrl(rewrite(href.replace(/&amp;/g, '&'), 'link'));
    return url ? `<a href="${escapeHtml(url)}">${label}</a>` : label;
  });
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => codes[Number(i)]!);
}

/** A heading's id: lower case words joined by dashes, as GitHub makes them, so `#anchors` work in both. */
export const slugOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[`*_[\]()!]/g, '')
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ /g, '-');

const tableRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

/** Renders a whole document; blocks are separated by blank lines or by their own markers. */
export function renderMarkdown(source: string, rewrite?: LinkRewrite): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const inline = (t: string) => renderInline(t, rewrite);
  let i = 0;
  const isBlockStart = (l: string) => /^(#{1,6} |```|> |[-*] |\d+\. |\|)/.test(l);
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      out.push(`<h${level} id="${slugOf(heading[2]!)}">${inline(heading[2]!)}</h${level}>`);
      i++;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (line.startsWith('> ')) {
      const quote: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) quote.push(lines[i]!.replace(/^> ?/, ''));
      out.push(`<blockquote>${renderMarkdown(quote.join('\n'), rewrite)}</blockquote>`);
    } else if (/^([-*]|\d+\.) /.test(line)) {
      const ordered = /^\d+\. /.test(line);
      const items: string[] = [];
      for (; i < lines.length && (/^([-*]|\d+\.) /.test(lines[i]!) || (/^\s{2,}\S/.test(lines[i]!) && items.length)); i++) {
        const l = lines[i]!;
        if (/^\s{2,}\S/.test(l)) items[items.length - 1] += ` ${l.trim()}`;
        else items.push(l.replace(/^([-*]|\d+\.) /, ''));
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t)}</li>`).join('')}</${tag}>`);
    } else if (line.startsWith('|') && /^\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      const head = tableRow(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(tableRow(lines[i]!));
      out.push(
        `<div class="table-scroll" role="region" aria-label="${escapeHtml(head.join(', '))}" tabindex="0"><table><thead><tr>${head.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`,
      );
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && (para.length === 0 || !isBlockStart(lines[i]!)); i++) para.push(lines[i]!.trim());
      out.push(`<p>${inline(para.join(' '))}</p>`);
    }
  }
  return out.join('\n');
}
