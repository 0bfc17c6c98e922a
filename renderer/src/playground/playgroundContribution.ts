import type { Contribution } from '../workbench/contributions';

/** The Playground (OpenLoRA): only the overview its empty state shows, for now (README.md). */
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
