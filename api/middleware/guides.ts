// The brands' user guides (docs/guides/*.md) as pages of the API's own origin, so the portal's
// Help menu opens them under the same strict CSP: /guides (the list), /guides/<name>, their
// screenshots at /guides/screenshots/<file>.png (from docs/screenshots) and one stylesheet.
// Rendered on request and kept until the file changes; names are checked against a pattern
// and looked up in the folder, so no path from the URL reaches the file system.
import type { Middleware } from 'koa';
import send from 'koa-send';
import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from '../guides/markdown';
import { guidePage, guideTitleOf } from '../guides/page';
import type { AppState } from '../state';

const guideName = /^[a-z0-9-]{1,64}$/;
const screenshotName = /^[a-z0-9-]{1,100}\.png$/;

/** `faq.md` → /guides/faq; `../screenshots/x.png` → /guides/screenshots/x.png; anything else untouched. */
function rewrite(href: string): string {
  const guide = /^(?:\.\/)?([a-z0-9-]+)\.md(#.*)?$/.exec(href);
  if (guide) return `/guides/${guide[1]}${guide[2] ?? ''}`;
  const shot = /^(?:\.\.\/screenshots\/|\.\.\/\.\.\/docs\/screenshots\/)([a-z0-9-]+\.png)$/.exec(href);
  if (shot) return `/guides/screenshots/${shot[1]}`;
  return href;
}

/** The repository's docs folder (the image copies it along with the code). */
const defaultDocsDir = path.resolve(__dirname, '../../docs');

export function guides(docsDir = defaultDocsDir): Middleware<AppState> {
  const guidesDir = path.join(docsDir, 'guides');
  const screenshotsDir = path.join(docsDir, 'screenshots');
  const rendered = new Map<string, { mtimeMs: number; html: string }>();

  const list = () =>
    fs.existsSync(guidesDir)
      ? fs
          .readdirSync(guidesDir)
          .filter((f) => f.endsWith('.md') && guideName.test(f.slice(0, -3)))
          .map((f) => f.slice(0, -3))
          .sort()
      : [];

  function render(name: string): string | null {
    if (!guideName.test(name) || !list().includes(name)) return null;
    const file = path.join(guidesDir, `${name}.md`);
    const { mtimeMs } = fs.statSync(file);
    const cached = rendered.get(name);
    if (cached?.mtimeMs === mtimeMs) return cached.html;
    const source = fs.readFileSync(file, 'utf8');
    const html = guidePage({ title: guideTitleOf(source, name), body: renderMarkdown(source, rewrite) });
    rendered.set(name, { mtimeMs, html });
    return html;
  }

  function index(): string {
    const items = list().map((name) => `- [${guideTitleOf(fs.readFileSync(path.join(guidesDir, `${name}.md`), 'utf8'), name)}](${name}.md)`);
    return guidePage({ title: 'User guides', body: renderMarkdown(`# User guides\n\n${items.join('\n')}`, rewrite) });
  }

  return async function serveGuides(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || (ctx.path !== '/guides' && !ctx.path.startsWith('/guides/'))) return next();
    const rest = ctx.path.replace(/^\/guides\/?/, '');
    if (rest === 'guide.css') {
      await send(ctx, 'guide.css', { root: path.join(__dirname, '../guides'), setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
      return;
    }
    if (rest.startsWith('screenshots/')) {
      const file = rest.slice('screenshots/'.length);
      if (screenshotName.test(file) && fs.existsSync(path.join(screenshotsDir, file))) {
        await send(ctx, file, { root: screenshotsDir, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
        return;
      }
    }
    const html = rest === '' ? index() : render(rest);
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    if (html) {
      ctx.body = html;
      return;
    }
    ctx.status = 404;
    ctx.body = guidePage({ title: 'Guide not found', body: renderMarkdown('# Guide not found\n\nNo guide has that name. See [all user guides](/guides).') });
  };
}
