// The plans and token packs on sale: the API's own catalog (domain/catalog/plans.ts, plain
// TypeScript with no imports), so the portal never shows a price the API would not charge.
export { planCatalog, packCatalog, type PlanDefinition, type PackDefinition } from '../../../domain/catalog/plans';
