/** The categories of complaint, as the issue tracker and the templates name them. */
export const CATEGORIES = [
  'spam', 'phishing', 'malware', 'fraud', 'copyright', 'trademark', 'defamation',
  'harassment', 'hate', 'violence', 'csam', 'privacy', 'attack', 'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
