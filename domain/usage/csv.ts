// CSV cells as spreadsheets read them safely: quoted when they hold a comma, quote or line break,
// and a text cell that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading
// apostrophe (OWASP "CSV injection"). Numbers are written as they are.
const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;
