// The lens colours a shopper picks from when the brand sends no colour of its own: the common
// tints of coloured daily lenses. A brand may send any `#rrggbb` instead.
export const lensColours = [
  { id: 'ocean-blue', name: 'Ocean blue', hex: '#2f7fd1' },
  { id: 'emerald', name: 'Emerald', hex: '#2e9b5f' },
  { id: 'hazel', name: 'Hazel', hex: '#8e6a32' },
  { id: 'honey', name: 'Honey', hex: '#c58b2b' },
  { id: 'grey', name: 'Grey', hex: '#8a939c' },
  { id: 'amethyst', name: 'Amethyst', hex: '#7d4fb0' },
  { id: 'brown', name: 'Brown', hex: '#5b3a22' },
] as const;

export type LensColourId = (typeof lensColours)[number]['id'];
export const lensColourIds = lensColours.map((c) => c.id) as [LensColourId, ...LensColourId[]];

export function lensColourHex(id: LensColourId): string {
  return lensColours.find((c) => c.id === id)!.hex;
}
