// What each role may do: the API's own rules (domain/roles.ts, plain TypeScript with no imports).
// The API enforces them; the portal only hides what the API would refuse.
export { can, type Permission } from '../../../domain/roles';
