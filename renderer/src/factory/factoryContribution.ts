import type { Contribution } from '../workbench/contributions';

/** The Factory: its empty state shows the overview until training from the workbench lands (README.md). */
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
