import type { Contribution } from '../workbench/contributions';

/**
 * Factory is not part of this build yet: its activity shows the honest empty state (what it will
 * do, what it waits for) from this overview. Its views, store and commands go in this folder.
 */
export const factoryContribution: Contribution = {
  id: 'factory',
  activity: { title: 'Factory', icon: 'beaker', keybinding: 'Mod+Shift+3' },
  overview: {
    emptyTitle: 'No training runs yet',
    title: 'Factory',
    summary: 'Fine-tune LoRA adapters on a small base model from a datanet snapshot.',
    will: [
      'Build a training pipeline: base model, datanet snapshot, LoRA rank and schedule',
      'Train on the local GPU, or the CPU when there is none, with live loss curves',
      'Save adapters in PEFT layout; export GGUF for llama.cpp and Ollama',
    ],
    dependsOn: 'engine',
    missing: 'Training from the workbench is not part of this build yet.',
  },
};
