// Where a schema rejects an input: the dotted paths of its issues, or [] when the input is valid.
import type { z } from 'zod';

export function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}
