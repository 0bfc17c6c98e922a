import { useStore } from 'zustand';
import { CapabilitySideBar } from './CapabilitySideBar';
import { contributions } from './contributions';
import { workbenchStore } from './workbenchStore';

/** The view of the selected activity, as its domain registered it. */
export function SideBar() {
  const activity = useStore(workbenchStore, (s) => s.layout.activity);
  const meta = contributions.activity(activity);
  const View = meta?.SideBar;
  return (
    <aside className="side-bar" aria-label={`${meta?.title ?? activity} side bar`} data-view={activity}>
      {View ? <View /> : <CapabilitySideBar activity={activity} />}
    </aside>
  );
}
