// Which page is shown, from the URL hash, so links, reloads and back/forward all work without a
// server route per page. A hash may carry one path parameter (`#/apps/<slug>`) and a query
// (`#/billing?checkout=success`): Stripe's return URLs land on such hashes.
export type Page = 'apps' | 'app' | 'frames' | 'api-keys' | 'billing' | 'usage' | 'audit' | 'notices' | 'preferences' | 'operator' | 'team' | 'account' | 'invite' | 'operator-brands' | 'operator-brand' | 'operator-metrics' | 'operator-alerts' | 'operator-flags';

const pages: readonly Page[] = ['apps', 'frames', 'api-keys', 'billing', 'usage', 'audit', 'notices', 'preferences', 'operator', 'team', 'account', 'invite', 'operator-brands', 'operator-brand', 'operator-metrics', 'operator-alerts', 'operator-flags'];

export function hrefOf(page: Page, slug?: string): string {
  if (page === 'app') return `#/apps/${encodeURIComponent(slug ?? '')}`;
  if (page === 'operator-brand') return `#/operator-brands/${encodeURIComponent(slug ?? '')}`;
  return `#/${page}`;
}

export interface Location {
  /** Null for an empty or unknown hash: the person's home page is shown. */
  page: Page | null;
  /** The app of `#/apps/<slug>`, the customer id of `#/operator-brands/<id>`; null on every other page. */
  slug: string | null;
  query: URLSearchParams;
}

export function locationOf(hash: string): Location {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const query = new URLSearchParams(search);
  const [name = '', param] = path.split('/');
  if (name === 'apps' && param) return { page: 'app', slug: decodeURIComponent(param), query };
  // One brand in the operator console, by customer id, in the same path style as an app.
  if (name === 'operator-brands' && param) return { page: 'operator-brand', slug: decodeURIComponent(param), query };
  return { page: pages.find((page) => page === name) ?? null, slug: null, query };
}

class Route {
  #at = $state<Location>(locationOf(location.hash));

  get page(): Page | null {
    return this.#at.page;
  }

  get slug(): string | null {
    return this.#at.slug;
  }

  get query(): URLSearchParams {
    return this.#at.query;
  }

  /** Called on `hashchange`. */
  sync(): void {
    this.#at = locationOf(location.hash);
  }

  /**
   * Writes a page's own state (its filters, its range) into the hash's query without a new history
   * entry: choosing is not navigation. Only while the live hash is still that page's, or empty when
   * the page is shown as home. The route hears of a navigation on `hashchange`, a task after the
   * hash itself changed; a page that trusted the route alone could rewrite a link away
   * (`#/apps/<slug>`) back to itself in between, and the route would then read its rewrite and stay.
   */
  replaceQuery(page: Page, query: string, asHome = false): void {
    const live = locationOf(location.hash).page;
    if (live !== page && !(asHome && live === null)) return;
    const hash = query ? `#/${page}?${query}` : `#/${page}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }

  /** Drops the query (a Checkout outcome shown once) without a new history entry. */
  clearQuery(): void {
    const path = location.hash.split('?', 1)[0] ?? '';
    history.replaceState(history.state, '', path || '#/');
    this.sync();
  }
}

export const route = new Route();
