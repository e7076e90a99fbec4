// Text the key page shows and reads: the storefront embed, the server example, and the allowed
// origins typed one per line. Used by the creation answer and by each key's panel alike.

/** The storefront embed: the script loads from this origin, which also serves the API. */
export function widgetSnippet(origin: string, publishableKey: string, app: string): string {
  return `<script src="${origin}/widget.js" data-varai-key="${publishableKey}" data-varai-app="${app}" async></` + `script>`;
}

/** A server's first call with a secret key. */
export function serverSnippet(origin: string, secretKey: string, app: string): string {
  return [
    `curl -X POST ${origin}/v1/consume`,
    `  -H "Authorization: Bearer ${secretKey}"`,
    `  -H "Idempotency-Key: $(uuidgen)"`,
    `  -H "Content-Type: application/json"`,
    `  -d '{"app":"${app}"}'`,
  ].join(' \\\n');
}

/** One origin per line (commas and spaces also separate); the API checks and names each one. */
export function parseOriginsText(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
}

/** An empty field is no cap. */
export function parseCap(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : Number(t);
}
