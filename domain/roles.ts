// Staff roles of a brand, plus VARAi's own operators. What each may do lives here only.
export const customerRoles = ['admin', 'manager', 'viewer'] as const;
export type CustomerRole = (typeof customerRoles)[number];
export type Role = CustomerRole | 'operator';

export type Permission = 'read' | 'manage' | 'administer' | 'operate';

const grants: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  manager: ['read', 'manage'],
  admin: ['read', 'manage', 'administer'],
  operator: ['read', 'operate'],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
