// The arguments of the admission checks (admission-lua.ts) and the arithmetic of their windows,
// pure so the clock can be anything: a day is a UTC day, a visitor window a fixed minute.
import { meteringKeys } from './keys';

export interface Admission {
  /** A publishable key's visitor: each limit is uses per window, per brand; 0 for none. */
  visitor?: { ip: string; sessionId?: string; perIp: number; perSession: number; windowSeconds: number };
  /** A key's daily token cap. */
  dailyCap?: { apiKeyId: string; tokens: number };
}

const dayMs = 86_400_000;

/** Days since the epoch, in UTC: the counter of a daily cap changes at 00:00 UTC. */
export const utcDay = (nowMs: number) => Math.floor(nowMs / dayMs);

/** Whole seconds until the next 00:00 UTC (at least 1). */
export const secondsToNextUtcDay = (nowMs: number) => Math.max(1, Math.ceil(((utcDay(nowMs) + 1) * dayMs - nowMs) / 1000));

/** The fixed visitor window holding this instant, and whole seconds until it ends (at least 1). */
export function visitorWindow(nowMs: number, windowSeconds: number): { window: number; secondsLeft: number } {
  const windowMs = windowSeconds * 1000;
  const window = Math.floor(nowMs / windowMs);
  return { window, secondsLeft: Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000)) };
}

/** KEYS[5..7] and ARGV[8..12] of a debit script. */
export function admissionArgs(customerId: string, nowMs: number, a: Admission | undefined): { keys: string[]; argv: (string | number)[] } {
  const k = meteringKeys(customerId);
  const v = a?.visitor;
  const cap = a?.dailyCap;
  const { window } = visitorWindow(nowMs, v?.windowSeconds ?? 60);
  return {
    keys: [
      v && v.perIp > 0 ? k.visitorIp(v.ip, window) : k.unused,
      v?.sessionId && v.perSession > 0 ? k.visitorSession(v.sessionId, window) : k.unused,
      cap ? k.dailyCap(cap.apiKeyId, utcDay(nowMs)) : k.unused,
    ],
    argv: [
      v && v.perIp > 0 ? v.perIp : 0,
      v?.sessionId && v.perSession > 0 ? v.perSession : 0,
      v?.windowSeconds ?? 60,
      cap ? cap.tokens : 0,
      // The counter outlives its day by one, so a debit at 23:59:59.999 still finds it.
      2 * 86_400,
    ],
  };
}
