// Reads a frame upload (CSV or JSON) into frames, or into the list of every bad row: each with
// where it is (the CSV line, header = line 1; or the JSON array index), the field and a message.
// Nothing is stored here; the caller replaces the catalog only when the list is empty.
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { Frame } from '../engines/frame';
import { AppError } from '../errors';
import { frameColumns, frameRowSchema, maxFrames, requiredColumns, toFrame } from './columns';

/** `path` reads `line 13: price` for a CSV and `body[12].price` for JSON; `line` or `index` says the same as a number. */
export interface UploadIssue {
  path: string;
  field: string;
  message: string;
  line?: number;
  index?: number;
}

/** A response names at most this many issues; `moreIssues` counts the rest. */
export const maxReportedIssues = 1_000;

export type UploadOutcome = { frames: Frame[]; issues: [] } | { frames: null; issues: UploadIssue[] };

interface Located {
  /** CSV line or JSON index, as shown to the brand. */
  at: { line: number } | { index: number };
  value: unknown;
}

const issueAt = (at: Located['at'], field: string, message: string): UploadIssue =>
  'line' in at ? { path: `line ${at.line}: ${field}`, field, message, line: at.line } : { path: `body[${at.index}].${field}`, field, message, index: at.index };

const normalise = (name: string) => name.trim().toLowerCase().replace(/[\s_-]+/g, '');
const aliases: Record<string, string> = { color: 'colour', sku: 'sku', id: 'sku' };
const byNormalName = new Map<string, string>(frameColumns.map((c) => [normalise(c), c]));

function tooMany(count: number): AppError {
  return new AppError('TOO_MANY_FRAMES', `A catalog holds at most ${maxFrames} frames; this upload has ${count}.`, { maxFrames, frames: count });
}

/** Checks every row, then the SKUs across rows; a frame list only when nothing is wrong. */
function checkRows(rows: Located[], upfront: UploadIssue[]): UploadOutcome {
  const issues = [...upfront];
  const frames: Frame[] = [];
  const firstSeen = new Map<string, Located['at']>();
  for (const row of rows) {
    const parsed = frameRowSchema.safeParse(row.value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const keys = i.code === 'unrecognized_keys' ? i.keys : [String(i.path[0] ?? 'row')];
        for (const key of keys) issues.push(issueAt(row.at, key, i.code === 'unrecognized_keys' ? 'not a column of the frame catalog' : i.message));
      }
      continue;
    }
    const frame = toFrame(parsed.data);
    const first = firstSeen.get(frame.id.toLowerCase());
    if (first) {
      const where = 'line' in first ? `line ${first.line}` : `body[${first.index}]`;
      issues.push(issueAt(row.at, 'sku', `duplicate SKU "${frame.id}" (first at ${where}); SKUs are compared without case`));
      continue;
    }
    firstSeen.set(frame.id.toLowerCase(), row.at);
    frames.push(frame);
  }
  if (issues.length === 0 && frames.length === 0) {
    issues.push({ path: 'body', field: 'body', message: 'the upload has no frames; to go back to the sample catalog, delete the catalog instead' });
  }
  return issues.length ? { frames: null, issues } : { frames, issues: [] };
}

export function parseCsvUpload(text: string): UploadOutcome {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? 1;
    return { frames: null, issues: [issueAt({ line }, 'file', `not readable as CSV: ${err.message.replace(/^Invalid \w+: /, '')}`)] };
  }
  const [header, ...body] = records;
  if (!header) return checkRows([], []);
  if (body.length > maxFrames) throw tooMany(body.length);
  const headerLine = header.info.lines;
  const columns: (string | null)[] = header.record.map((name) => byNormalName.get(aliases[normalise(name)] ?? normalise(name)) ?? null);
  const upfront: UploadIssue[] = [];
  header.record.forEach((name, i) => {
    if (columns[i] === null || columns[i] === undefined) upfront.push(issueAt({ line: headerLine }, name || `column ${i + 1}`, `not a column of the frame catalog (columns: ${frameColumns.join(', ')})`));
    else if (columns.indexOf(columns[i]) !== i) upfront.push(issueAt({ line: headerLine }, name, 'this column appears twice'));
  });
  for (const c of requiredColumns) if (!columns.includes(c)) upfront.push(issueAt({ line: headerLine }, c, 'required column missing from the header row'));
  if (upfront.length) return { frames: null, issues: upfront };

  const rows: Located[] = [];
  const extra: UploadIssue[] = [];
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      extra.push(issueAt({ line: info.lines }, 'row', `has ${record.length} fields; the header has ${columns.length}`));
      continue;
    }
    rows.push({ at: { line: info.lines }, value: Object.fromEntries(columns.map((c, i) => [c, record[i]])) });
  }
  const outcome = checkRows(rows, extra);
  // In file order: a short row among the others, where the brand will look for it.
  if (!outcome.frames) outcome.issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return outcome;
}

/** The body as sent: an array of frames, or `{ "frames": [...] }`. */
export function parseJsonUpload(body: unknown): UploadOutcome {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { frames?: unknown }).frames) ? (body as { frames: unknown[] }).frames : null;
  if (!list) return { frames: null, issues: [{ path: 'body', field: 'body', message: 'send an array of frames, or an object { "frames": [...] }' }] };
  if (list.length > maxFrames) throw tooMany(list.length);
  const rows: Located[] = [];
  const upfront: UploadIssue[] = [];
  list.forEach((value, index) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) rows.push({ at: { index }, value });
    else upfront.push(issueAt({ index }, 'row', 'each frame is an object with the catalog columns as keys'));
  });
  const outcome = checkRows(rows, upfront);
  if (!outcome.frames) outcome.issues.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return outcome;
}
