// One identity map per request, as MikroORM requires for a shared ORM instance.
import { RequestContext } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

export function ormContext(orm: MikroORM): Middleware<AppState> {
  return function ormRequestContext(ctx, next) {
    // The widget path (/v1) never uses the identity map; it skips the fork it would pay for.
    if (ctx.path.startsWith('/v1/')) return next();
    return RequestContext.create(orm.em, next);
  };
}
