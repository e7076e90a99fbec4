// Display helpers. Token counts are integers on the wire.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,000": a figure in a table whose header names the unit. */
export function count(n: number): string {
  return integer.format(n);
}

/** "1 token", "5 tokens", "1,000 tokens". */
export function tokens(count: number): string {
  return `${integer.format(count)} ${count === 1 ? 'token' : 'tokens'}`;
}

/** "5 tokens per use"; an app that costs nothing says so. */
export function costPerUse(costTokens: number): string {
  return costTokens === 0 ? 'No token cost' : `${tokens(costTokens)} per use`;
}

/** "admin" → "Admin". */
export function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp from the API, in the reader's time zone: "Mar 4, 2026, 9:15 AM". */
export function dateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** An ISO timestamp from the API as a date in the reader's time zone: "Mar 4, 2026". */
export function date(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** Integer cents → "$29" or "$29.50"; the currency is ISO 4217 as the API sends it ("usd"). */
export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);
}
