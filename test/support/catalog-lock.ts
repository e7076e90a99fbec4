// The app catalog is shared by every test file. A test that puts a catalog app in beta holds
// this lock exclusively while it does; a test that counts what a brand sees holds it shared.
// A PostgreSQL advisory lock, because the files run in separate jest worker processes.
import pg from 'pg';

const catalogLockKey = 7_007;

export async function withCatalogLock<T>(mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(mode === 'exclusive' ? 'select pg_advisory_lock($1)' : 'select pg_advisory_lock_shared($1)', [catalogLockKey]);
    return await fn();
  } finally {
    // Ending the session releases the lock, also when the unlock itself is never reached.
    await client.end();
  }
}
