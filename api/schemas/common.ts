import { z } from 'zod';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export const roleSchema = z.enum(['admin', 'manager', 'viewer', 'operator']);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    role: roleSchema,
    customerId: z.uuid().nullable(),
    customerName: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const appSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    status: z.enum(['active', 'beta', 'deprecated']),
    costTokens: z.number().int().positive(),
  })
  .meta({ id: 'App' });

export const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ message: 'Enter a valid email address.' }))
  .transform((e) => e.toLowerCase());

export const newPassword = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');
