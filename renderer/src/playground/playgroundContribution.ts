import type { Contribution } from '../workbench/contributions';

/**
 * Playground is not part of this build yet: its activity shows the honest empty state (what it will
 * do, what it waits for) from this overview. Its views, store and commands go in this folder.
 */
export const playgroundContribution: Contribution = {
  id: 'playground',
  activity: { title: 'Playground', icon: 'comment-discussion', keybinding: 'Mod+Shift+4' },
  overview: {
    emptyTitle: 'No models to try yet',
    title: 'Playground',
    summary: 'Chat with one base model and swap adapters per request (OpenLoRA).',
    will: [
      'Keep one base model loaded and switch between many adapters per request',
      'Show, token by token, which training records shaped each answer',
      'Compare adapters side by side on the same prompt',
    ],
    dependsOn: 'engine',
    missing: 'The playground is not part of this build yet.',
  },
};
