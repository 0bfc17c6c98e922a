import { defineCoreJobKind } from '../jobKind';

// The first start's steps that wait on the devnet or the served model: run by main/firstStart/firstStartStory.ts on the core's thread
// (they wait on the served model and the devnet), shown in the jobs panel like any job.
export const demoAttribute = defineCoreJobKind('demo.attribute', (p) => `Attribute ${p.prompts.length} demo prompts with ${p.adapter}`);
export const demoSettle = defineCoreJobKind('demo.settle', (p) => `Settle epoch ${p.epoch} on the devnet`);
export const demoRegisterModel = defineCoreJobKind('demo.registerModel', () => 'Register the default model on the devnet');
