import { can, type Permission, type Role } from '../../domain/roles';

const table: [Role, Permission, boolean][] = [
  ['viewer', 'read', true], ['viewer', 'manage', false], ['viewer', 'administer', false],
  ['manager', 'manage', true], ['manager', 'administer', false],
  ['admin', 'administer', true], ['admin', 'operate', false],
  ['operator', 'operate', true], ['operator', 'manage', false],
];

describe('can', () => {
  it.each(table)('%s may %s: %s', (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });
});
