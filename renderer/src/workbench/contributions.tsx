import type { ComponentType, ReactNode } from 'react';
import type { CapabilityOverview } from './capabilities';
import type { Command } from './commands/commandRegistry';
import { commands } from './commands/registry';
import type { TabInput, TabInputOf, TabInputs } from './tabs';
import { workbenchStore } from './workbenchStore';

/** An entry in the activity bar and the side bar it shows. */
export interface ActivityContribution {
  title: string;
  /** Codicon name. */
  icon: string;
  /** The key that reveals it, "Mod+Shift+<digit>" style. */
  keybinding: string;
  /** The side bar; a capability with an overview and no side bar of its own shows its empty state. */
  SideBar?: ComponentType;
}

/** The editor for one kind of tab input. */
export interface EditorContribution {
  kind: keyof TabInputs;
  render(input: TabInput, tabId: string): ReactNode;
}

/** Binds an editor component to its kind, keeping the input's type (the registry looks editors up by kind). */
export function editor<K extends keyof TabInputs>(kind: K, Editor: ComponentType<{ input: TabInputOf<K>; tabId: string }>): EditorContribution {
  return { kind, render: (input, tabId) => <Editor key={tabId} input={input as TabInputOf<K>} tabId={tabId} /> };
}

/**
 * What a domain adds to the workbench, in one registration (renderer/src/contributions.ts lists
 * them): its activity and side bar, the editors of its tabs, its commands, and, for a capability
 * this build does not have yet, the overview its empty state shows.
 */
export interface Contribution {
  /** The domain's folder name and activity id: 'chain', 'datanets'… */
  id: string;
  activity?: ActivityContribution;
  editors?: EditorContribution[];
  commands?: Command[];
  overview?: CapabilityOverview;
  /** Mounted once at the workbench's root, shown by their own stores (the chain's write review). */
  dialogs?: ComponentType[];
}

export interface RegisteredActivity extends ActivityContribution {
  id: string;
  overview?: CapabilityOverview;
}

/**
 * The workbench's one registry of contributions. The activity bar, side bar and editor area
 * render what is registered here; the palette and keybindings find the commands in `commands`.
 */
export class ContributionRegistry {
  private readonly activityList: RegisteredActivity[] = [];
  private readonly editorsByKind = new Map<string, EditorContribution>();
  private readonly overviews = new Map<string, CapabilityOverview>();
  private readonly dialogList: ComponentType[] = [];

  register(c: Contribution): void {
    if (this.activityList.some((a) => a.id === c.id) || this.overviews.has(c.id)) throw new Error(`Contribution "${c.id}" is registered twice`);
    for (const e of c.editors ?? []) {
      if (this.editorsByKind.has(e.kind)) throw new Error(`Editor kind "${e.kind}" is registered twice`);
      this.editorsByKind.set(e.kind, e);
    }
    if (c.overview) this.overviews.set(c.id, c.overview);
    if (c.activity) {
      const activity = { ...c.activity, id: c.id, overview: c.overview };
      this.activityList.push(activity);
      commands.register({
        id: `workbench.view.${c.id}`,
        title: `Show ${activity.title}`,
        category: 'View',
        keybinding: activity.keybinding,
        icon: activity.icon,
        globalKey: true,
        run: () => workbenchStore.getState().showActivity(c.id),
      });
    }
    if (c.overview) {
      const title = c.activity?.title ?? c.overview.title;
      commands.register({
        id: `${c.id}.openOverview`,
        title: 'Open Overview',
        category: title,
        icon: c.activity?.icon,
        run: () => openCapability(c.id),
      });
    }
    for (const command of c.commands ?? []) commands.register(command);
    this.dialogList.push(...(c.dialogs ?? []));
  }

  /** The activity bar's entries, top to bottom (the order they were registered in). */
  activities(): readonly RegisteredActivity[] {
    return this.activityList;
  }

  activity(id: string): RegisteredActivity | undefined {
    return this.activityList.find((a) => a.id === id);
  }

  editorFor(kind: string): EditorContribution | undefined {
    return this.editorsByKind.get(kind);
  }

  overview(id: string): CapabilityOverview | undefined {
    return this.overviews.get(id);
  }

  dialogs(): readonly ComponentType[] {
    return this.dialogList;
  }
}

export const contributions = new ContributionRegistry();

/** A capability's overview tab: what it will do and what it waits for. */
export function openCapability(id: string): void {
  const activity = contributions.activity(id);
  const overview = contributions.overview(id);
  workbenchStore.getState().openTab({
    id: `capability:${id}`,
    title: activity?.title ?? overview?.title ?? id,
    icon: activity?.icon ?? 'info',
    input: { kind: 'capability', activity: id },
  });
}

declare module './tabs' {
  interface TabInputs {
    capability: { activity: string };
  }
}
