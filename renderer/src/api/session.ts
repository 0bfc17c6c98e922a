import { playgroundStore } from '../playground/playgroundStore';
import { isJobActive } from '../jobs/jobs';
import { artifactsStore } from '../artifacts/artifactsStore';
import { chainChangedUnder } from '../chain/devnet/chainStatus';
import { chainEventsStore } from '../chain/explorer/chainEventsStore';
import { chainStore } from '../chain/devnet/chainStore';
import { publicationsStore } from '../chain/publishing/publicationsStore';
import { jobsStore } from '../jobs/jobsStore';
import { keysStore } from '../chain/keys/keysStore';
import { networksStore } from '../chain/networks/networksStore';
import { logsStore } from '../workbench/logs/logsStore';
import { settingsStore } from '../workspace/settingsStore';
import { workspaceStore } from '../workspace/workspaceStore';
import { commands } from '../workbench/commands/registry';
import { reportError } from '../workbench/toastStore';
import { onReconnected, startApi } from './client';

/** Everything the workbench shows about the open workspace, fetched again after a switch. */
export async function loadWorkspaceData(): Promise<void> {
  await Promise.all([
    workspaceStore.getState().load(),
    jobsStore.getState().load(),
    artifactsStore.getState().load(),
    settingsStore.getState().load(),
    chainStore.getState().load(),
    publicationsStore.getState().load(),
    networksStore.getState().load(),
    keysStore.getState().load(),
  ]);
}

/** Connects, subscribes to the core's events once, and loads the first picture. */
export function startSession(): void {
  const client = startApi();
  client.on('job.updated', (job) => {
    const known = jobsStore.getState().jobs.some((j) => j.id === job.id);
    jobsStore.getState().apply(job);
    // A finished artifact job may have added or checked entries: show the store as it is now.
    if (job.status === 'succeeded' && job.kind.startsWith('artifacts.')) void artifactsStore.getState().load();
    // A new adapter or the first start's demo answers: the playground's picker and page follow.
    if (job.status === 'succeeded' && (job.kind === 'factory.run' || job.kind === 'demo.attribute' || job.kind.startsWith('adapters.'))) void playgroundStore.getState().load();
    // The overview counts jobs and artifacts: refresh it when a job appears or ends.
    if (!known || !isJobActive(job)) void workspaceStore.getState().refreshCurrent();
  });
  client.on('log', (entry) => logsStore.getState().append([entry]));
  client.on('workspace.opened', (info) => {
    workspaceStore.getState().setCurrent(info);
    chainEventsStore.getState().invalidate();
    void loadWorkspaceData();
  });
  client.on('settings.changed', (settings) => settingsStore.getState().changedElsewhere(settings));
  // The Electron menu picks commands outside the page; they run through the same registry.
  client.on('app.command', ({ id }) => {
    if (!commands.get(id)) return reportError(new Error(`The menu asked for an unknown command "${id}".`));
    commands.run(id).catch((err: unknown) => reportError(err, commands.get(id)?.title));
  });
  // app.info carries the chain's status line: read it again when the devnet changes, and at
  // most once a second while blocks arrive (its label names the latest block).
  client.on('chain.status', (status) => {
    // A reset, revert, redeploy or restart changes the chain under the event feed: read it again.
    if (chainChangedUnder(chainStore.getState().status, status)) chainEventsStore.getState().invalidate();
    chainStore.getState().applyStatus(status);
    void workspaceStore.getState().refreshAppInfo();
  });
  client.on('chain.log', (log) => chainEventsStore.getState().append(log));
  client.on('publication.updated', (p) => publicationsStore.getState().apply(p));
  let blockRefresh: ReturnType<typeof setTimeout> | null = null;
  client.on('chain.block', (block) => {
    chainStore.getState().applyBlock(block);
    blockRefresh ??= setTimeout(() => {
      blockRefresh = null;
      void workspaceStore.getState().refreshAppInfo();
    }, 1000);
  });
  onReconnected(() => {
    void loadWorkspaceData();
    void logsStore.getState().load();
  });
  void loadWorkspaceData();
  void logsStore.getState().load();
}
