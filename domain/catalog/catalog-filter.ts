// Search and filters over catalog entries. The catalog is a handful of apps, so it is filtered
// in memory, after the activation state is known (no row at all counts as `inactive`).
import type { ActivationStatus } from '../entities/customer-app';
import type { AppCategory } from './apps';

export interface CatalogFilter {
  /** Trimmed; every whitespace-separated term must appear in the name, description or category. */
  q?: string;
  category?: AppCategory;
  /** This customer's activation state; ignored for operators, who have none. */
  status?: ActivationStatus;
}

export interface Filterable {
  app: { name: string; description: string; category: string };
  activation: { status: ActivationStatus } | null;
}

export function searchTerms(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesFilter({ app, activation }: Filterable, filter: CatalogFilter): boolean {
  if (filter.category && app.category !== filter.category) return false;
  if (filter.status && activation && activation.status !== filter.status) return false;
  // Newlines keep a term from matching across the end of one field and the start of the next.
  const text = `${app.name}\n${app.description}\n${app.category}`.toLowerCase();
  return searchTerms(filter.q).every((term) => text.includes(term));
}
