// The shopping assistant: what it says first and how it sounds.
import { z } from 'zod';
import { commonSettings } from './common';

export const conversationalAiSettings = z
  .object({
    ...commonSettings({ buttonText: 'Ask our assistant', placement: 'floating-button' }),
    greeting: z.string().trim().min(1).max(280).default('Hi! Looking for new frames? Ask me anything.').meta({ title: 'Greeting', description: 'The first thing the assistant says.' }),
    tone: z.enum(['friendly', 'professional', 'playful']).default('friendly').meta({ title: 'Tone' }),
  })
  .strict();
