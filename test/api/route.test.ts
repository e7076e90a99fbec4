import { defineRoute } from '../../api/route';

describe('defineRoute', () => {
  it('refuses a mutating route that asks only for read access, so a viewer can never mutate', () => {
    expect(() =>
      defineRoute({ method: 'post', path: '/api/x', summary: 'x', tag: 'x', access: 'read', responses: {}, handler: async () => undefined }),
    ).toThrow(/needs more than read access/);
  });
});
