// Which page is shown, from the URL hash, so links, reloads and back/forward all work without a
// server route per page.
export type Page = 'apps' | 'api-keys' | 'billing' | 'notices';

const pages: readonly Page[] = ['apps', 'api-keys', 'billing', 'notices'];

export function hrefOf(page: Page): string {
  return `#/${page}`;
}

function pageOf(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return pages.find((page) => page === name) ?? 'apps';
}

class Route {
  page = $state<Page>(pageOf(location.hash));

  /** Called on `hashchange`. */
  sync(): void {
    this.page = pageOf(location.hash);
  }
}

export const route = new Route();
