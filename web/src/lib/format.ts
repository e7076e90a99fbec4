// Display helpers. Token counts are integers on the wire.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

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
