// File uploads read their own body: the JSON parser in front of every route stops at 64 KB and
// knows no CSV. The parser is told to step aside for these paths, and the route reads the bytes
// after its access check, so nobody without the right role can make the API buffer 2 MB.
import type { Context, Middleware } from 'koa';
import { AppError } from '../../domain/errors';

/** Marks `PUT <path>` requests for the routes that read their body with readUpload. */
export function rawUploads(paths: readonly string[]): Middleware {
  const set = new Set(paths);
  return async function rawUpload(ctx, next) {
    if (ctx.method === 'PUT' && set.has(ctx.path)) (ctx as Context & { disableBodyParser?: boolean }).disableBodyParser = true;
    await next();
  };
}

const tooLarge = (limitBytes: number) => new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${Math.round(limitBytes / 1024)} KB.`, { limitBytes });

/** The body as UTF-8 text, refused past `limitBytes` without reading the rest. */
export async function readUpload(ctx: Context, limitBytes: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      ctx.req.resume(); // drain the rest, so the error answer can be written on this connection
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The upload is not UTF-8 text.', { fields: [{ path: 'body', message: 'save the file as UTF-8 (CSV UTF-8 in a spreadsheet)' }] });
  }
}
