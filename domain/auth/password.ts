import bcrypt from 'bcryptjs';

// Cost 10 is OWASP's floor for bcrypt and keeps a login under ~100 ms on one core.
const cost = 10;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, cost);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** Compared against when the email is unknown, so timing does not reveal which emails exist. */
export const dummyHash = bcrypt.hashSync('not-a-real-password', cost);
