// Apps that pick frames from the brand's catalog for one shopper.
import { z } from 'zod';
import { commonSettings } from './common';

const discovery = (buttonText: string, maxResults: number) => ({
  ...commonSettings({ buttonText }),
  maxResults: z.number().int().min(1, 'Use 1 to 50.').max(50, 'Use 1 to 50.').default(maxResults).meta({ title: 'Most results shown' }),
  showPrices: z.boolean().default(true).meta({ title: 'Show prices' }),
});

export const frameFinderSettings = z.object(discovery('Find frames', 12)).strict();

// Fewer by default: recommendations are ranked for one face, and past a handful the ranking stops meaning much.
export const eyewearRecommendationsSettings = z.object(discovery('See my matches', 6)).strict();
