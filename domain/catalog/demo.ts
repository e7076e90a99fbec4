// The demo brand that `npm run up` seeds, so a fresh clone has someone to log in as.
import type { Role } from '../roles';

export const demoPassword = 'varai-demo-2026';
export const demoCustomer = { id: '00000000-0000-4000-8000-000000000001', name: 'Demo Optics' };

export const demoUsers: readonly { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.varai.test', name: 'Ada Admin', role: 'admin' },
  { email: 'manager@demo.varai.test', name: 'Max Manager', role: 'manager' },
  { email: 'viewer@demo.varai.test', name: 'Vera Viewer', role: 'viewer' },
  { email: 'operator@varai.test', name: 'Otto Operator', role: 'operator' },
];
