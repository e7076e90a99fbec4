// Password hashing: argon2id (memory-hard, native code from prebuilt binaries), with the cost
// from configuration. Hashes made before it (bcrypt) still verify, and are replaced on the next
// successful login, as are argon2id hashes made with a lower cost than the configured one.
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

export interface HashCost {
  /** KiB of memory per hash. */
  memoryKib: number;
  /** Passes over that memory. */
  passes: number;
}

/**
 * Production's cost: 64 MiB, 3 passes (RFC 9106's second recommended setting, one lane).
 * About 50 ms a hash on one core of the development machine (docs/SECURITY.md); at most four
 * run at once (libuv's thread pool), so at most 256 MiB.
 */
export const productionCost: HashCost = { memoryKib: 65_536, passes: 3 };

export interface Verdict {
  ok: boolean;
  /** The password was right but its stored hash is weaker than today's cost: store a new one. */
  needsRehash: boolean;
}

/** `$argon2id$v=19$m=65536,t=3,p=1$…` → its cost; null for anything else. */
function argonCost(stored: string): HashCost | null {
  const m = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=\d+\$/.exec(stored);
  return m ? { memoryKib: Number(m[1]), passes: Number(m[2]) } : null;
}

export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(readonly cost: HashCost = productionCost) {}

  hash(plain: string): Promise<string> {
    // 2 is Algorithm.Argon2id, a const enum that isolated modules cannot read.
    return argonHash(plain, { algorithm: 2, memoryCost: this.cost.memoryKib, timeCost: this.cost.passes, parallelism: 1 });
  }

  async verify(plain: string, stored: string): Promise<Verdict> {
    if (stored.startsWith('$2')) {
      const ok = await bcrypt.compare(plain, stored);
      return { ok, needsRehash: ok };
    }
    const cost = argonCost(stored);
    if (!cost) return { ok: false, needsRehash: false };
    const ok = await argonVerify(stored, plain).catch(() => false);
    const weaker = cost.memoryKib < this.cost.memoryKib || cost.passes < this.cost.passes;
    return { ok, needsRehash: ok && weaker };
  }

  /** Verified against when the email is unknown, so timing does not reveal which emails exist. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash('not-a-real-password');
    return this.dummy;
  }
}

/** For scripts (the demo seed), at production's cost. */
export const hashPassword = (plain: string): Promise<string> => new PasswordHasher().hash(plain);
