// One identity map per request, as MikroORM requires for a shared ORM instance.
import { RequestContext } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

export function ormContext(orm: MikroORM): Middleware<AppState> {
  return function ormRequestContext(_ctx, next) {
    return RequestContext.create(orm.em, next);
  };
}
