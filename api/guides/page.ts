// The HTML around a rendered guide: a header linking back to the portal and to the other
// guides, the guide as the page's main content, and our own stylesheet (no inline style or
// script, so the portal's CSP applies unchanged).
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The guide's first `# ` heading, without its marks; the file name when it has none. */
export function guideTitleOf(source: string, fallback: string): string {
  const heading = /^# (.+)$/m.exec(source);
  return heading ? heading[1]!.replace(/[`*]/g, '').trim() : fallback;
}

export function guidePage(p: { title: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)} · VARAi Connected Apps</title>
<link rel="stylesheet" href="/guides/guide.css">
</head>
<body>
<header class="bar">
<a class="brand" href="/">VARAi Connected Apps</a>
<nav aria-label="Guides"><a href="/guides">All guides</a><a href="/">Back to the portal</a></nav>
</header>
<main class="guide">
${p.body}
</main>
</body>
</html>
`;
}
