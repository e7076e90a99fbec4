// Who did something, as the audit log records it. Import-free and plain JSON: the activation
// workflow carries the actor of a request from the API to the activities that act on it.
export const actorKinds = ['user', 'operator', 'api_key', 'anonymous', 'system'] as const;
export type ActorKind = (typeof actorKinds)[number];

export type AuditActor =
  /** Brand staff, or a VARAi operator (no brand), on a session. */
  | { kind: 'user' | 'operator'; userId: string }
  /** A brand's server or storefront, by its API key. */
  | { kind: 'api_key'; apiKeyId: string }
  /** Nobody is logged in yet: a failed login. */
  | { kind: 'anonymous' }
  /** The product itself: a workflow, a Stripe event, the reconciler. */
  | { kind: 'system' };

export const systemActor: AuditActor = { kind: 'system' };
