import path from 'node:path';
import { commitDemoDatanet, demoDatanetState, stageDemoDatanet } from '../../datanets/demo/buildDemoDatanet';
import { defineJobKind } from '../jobKind';

/**
 * Builds the demo datanet (State of the Union addresses, one demo contributor per president):
 * passages are read and staged with their signals in the worker; commit creates, accepts and
 * freezes version 1 in one transaction. A workspace that has it already gets it back unchanged,
 * so the first start and `studio datanet demo` can both ask for it.
 */
export const datanetDemo = defineJobKind({
  kind: 'datanet.demo',
  title: () => 'Build the demo datanet (State of the Union addresses)',
  prepare: (db, _p, workspaceRoot) => ({ existing: demoDatanetState(db), artifactsRoot: path.join(workspaceRoot, 'artifacts') }),
  async run(input, ctx) {
    if (input.existing) return { staged: null, input };
    ctx.progress(0, 'Reading the State of the Union addresses');
    const staged = await stageDemoDatanet(input.artifactsRoot, {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(total ? (0.9 * done) / total : null, `Checking passages: ${Math.round((100 * done) / (total || 1))}%`),
    });
    ctx.progress(0.9, `Storing ${staged.staged} passages and freezing version 1`);
    return { staged, input };
  },
  commit: (db, { staged, input }) => (staged ? commitDemoDatanet(db, staged, input.artifactsRoot) : (demoDatanetState(db) ?? input.existing!)),
});
