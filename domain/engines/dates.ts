// Calendar days as 'YYYY-MM-DD' strings, in UTC. Arithmetic goes through day numbers (days since
// 1970-01-01), so no time zone or clock is ever involved.
const msPerDay = 86_400_000;

export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / msPerDay;
}

export function dayFromNumber(n: number): string {
  return new Date(n * msPerDay).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayFromNumber(dayNumber(day) + days);
}
