// The user guides the Help menu links to: served by the API at /guides/<name> from docs/guides.
export const guides: readonly { name: string; title: string }[] = [
  { name: 'getting-started', title: 'Getting started' },
  { name: 'configure-and-embed', title: 'Configure an app and embed its widget' },
  { name: 'tokens-and-billing', title: 'Tokens and billing' },
  { name: 'frame-catalog', title: 'Your frame catalog' },
  { name: 'team', title: 'Your team' },
  { name: 'usage', title: 'Usage and the audit log' },
  { name: 'notifications', title: 'Notifications: email, SMS and the weekly summary' },
  { name: 'anomaly-alerts', title: 'Anomaly alerts and paused keys' },
  { name: 'data-export', title: "Exporting your brand's data" },
  { name: 'faq', title: 'FAQ' },
];

export const guideHref = (name: string): string => `/guides/${name}`;
