import { commands } from './commands/registry';
import { Codicon } from '../components/Codicon';
import { Keybinding } from '../components/Keybinding';

const HINTS = [
  'workbench.commandPalette',
  'settings.open',
  'workbench.togglePanel',
  'workbench.toggleTheme',
  'workspace.switch',
];

/** The empty editor area: the app's mark and the few keys worth knowing. */
export function EditorWatermark() {
  return (
    <div className="watermark">
      <Codicon name="git-merge" className="watermark__logo" />
      <div className="watermark__name">Attribution Studio</div>
      <dl className="watermark__hints">
        {HINTS.map((id) => {
          const c = commands.get(id);
          if (!c) return null;
          return (
            <div key={id} className="watermark__hint">
              <dt>{c.title}</dt>
              <dd>{c.keybinding ? <Keybinding binding={c.keybinding} /> : null}</dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
