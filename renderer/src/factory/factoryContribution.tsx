import { lazy, Suspense } from 'react';
import { type Contribution, editor } from '../workbench/contributions';
import { workbenchStore } from '../workbench/workbenchStore';
import { FactorySideBar } from './FactorySideBar';
import { openNewPipeline } from './factoryTabs';

// The graph library and Monaco load with the first pipeline tab.
const PipelineEditor = lazy(() => import('./PipelineEditor').then((m) => ({ default: m.PipelineEditor })));
// uPlot loads with the first run or comparison tab.
const RunEditor = lazy(() => import('./RunEditor').then((m) => ({ default: m.RunEditor })));
const AdapterPage = lazy(() => import('./AdapterPage').then((m) => ({ default: m.AdapterPage })));
const CompareEditor = lazy(() => import('./CompareEditor').then((m) => ({ default: m.CompareEditor })));

/** The Factory: pipelines (graph + YAML), runs with live charts, comparison and adapter lineage. See README.md. */
export const factoryContribution: Contribution = {
  id: 'factory',
  activity: { title: 'Factory', icon: 'beaker', keybinding: 'Mod+Shift+3', SideBar: FactorySideBar },
  editors: [
    editor('pipeline', ({ input }) => (
      <Suspense fallback={null}>
        <PipelineEditor input={input} />
      </Suspense>
    )),
    editor('run', ({ input }) => (
      <Suspense fallback={null}>
        <RunEditor input={input} />
      </Suspense>
    )),
    editor('runsCompare', ({ input }) => (
      <Suspense fallback={null}>
        <CompareEditor input={input} />
      </Suspense>
    )),
    editor('factoryAdapter', ({ input }) => (
      <Suspense fallback={null}>
        <AdapterPage input={input} />
      </Suspense>
    )),
  ],
  commands: [
    {
      id: 'factory.newPipeline',
      title: 'New Pipeline',
      category: 'Factory',
      icon: 'add',
      run: () => {
        workbenchStore.getState().showActivity('factory');
        openNewPipeline();
      },
    },
  ],
};
