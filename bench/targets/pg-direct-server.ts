// Baseline (b): the debit done the PostgreSQL way. One conditional UPDATE of the balance row
// and one usage INSERT per request, in a single statement, over a plain pg Pool: no ORM, no
// auth, no validation. The scratch tables live in the `bench` schema (bench/lib/scratch.ts).
import Koa from 'koa';
import { Pool } from 'pg';

const port = Number(process.env.BENCH_PORT);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 8);
// Same size as the API's own pool (DB_POOL_MAX default), so both sides get the same connections.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BENCH_PG_POOL ?? 10) });

// A CTE keeps debit and usage row atomic in one round trip; no row comes back when the balance is short.
const debitSql = `
  with debited as (
    update bench.bench_balances set tokens = tokens - $1 where customer_id = $2 and tokens >= $1 returning tokens
  ), used as (
    insert into bench.bench_usage (customer_id, idempotency_key, tokens) select $2, $3, $1 from debited
  )
  select tokens from debited`;

let turn = 0;
const app = new Koa();
app.use(async function pgDirectDebit(ctx) {
  const customerId = (turn++ % customers) + 1;
  // Named: prepared once per connection, the fastest way pg offers to run the same statement.
  const { rows } = await pool.query<{ tokens: string }>({ name: 'bench-debit', text: debitSql, values: [1, customerId, ctx.get('idempotency-key')] });
  const row = rows[0];
  if (!row) {
    ctx.status = 402;
    ctx.body = { error: 'INSUFFICIENT_TOKENS' };
    return;
  }
  ctx.body = { remainingTokens: Number(row.tokens) };
});

const server = app.listen(port, '127.0.0.1');
const stop = () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
