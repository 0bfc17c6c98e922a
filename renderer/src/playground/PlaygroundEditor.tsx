import Editor from '@monaco-editor/react';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { attributionStore } from '../attribution/attributionStore';
import { ColumnAttribution } from '../attribution/ColumnAttribution';
import { Codicon } from '../components/Codicon';
import { setupMonaco } from '../monaco/setupMonaco';
import { monacoThemeFor } from '../workbench/theming/theme';
import { themeStore } from '../workbench/theming/themeStore';
import type { AdapterVerification } from '../../../main/api/adaptersSchemas';
import { curlCommand, endpoint, openaiCode, probabilityColor, type StreamedToken } from './playgroundApi';
import { BASE_MODEL, type Column, MAX_COLUMNS, filterAdapters, isRemoteModel, playgroundStore, REMOTE_MODEL } from './playgroundStore';

setupMonaco();

const pct = (logprob: number) => `${(100 * Math.exp(logprob)).toFixed(1)}%`;

/**
 * The playground: one prompt (Monaco) run on up to four models side by side (adapters and the
 * base), streamed from the /v1 endpoint; tokens coloured by probability on demand with the top
 * alternatives on hover; the request as curl and as `openai` code; the endpoint's URL and key.
 */
export function PlaygroundEditor() {
  const s = useStore(playgroundStore);
  const attribute = useStore(attributionStore, (a) => a.enabled);
  const theme = useStore(themeStore, (t) => t.theme);
  const { baseUrl, key } = endpoint();
  const streaming = s.columns.some((c) => c.status === 'streaming');
  const firstLocal = s.selected.find((m) => !isRemoteModel(m)) ?? BASE_MODEL;
  const request = { model: firstLocal, prompt: s.prompt, mode: s.mode, ...s.sampling };

  useEffect(() => {
    if (!s.loaded) void playgroundStore.getState().load();
  }, [s.loaded]);

  const models = [BASE_MODEL, ...filterAdapters(s.adapters, s.query).map((a) => a.name)].filter((m) => m !== BASE_MODEL || s.query === '' || 'base'.includes(s.query.toLowerCase()));
  const num = (v: string, f: (n: number) => void) => {
    const n = Number(v);
    if (Number.isFinite(n)) f(n);
  };

  return (
    <div className="playground" data-testid="playground">
      <aside className="playground__controls">
        <section className="playground__endpoint" data-testid="playground-endpoint">
          <div>
            Base URL <code data-testid="playground-base-url">{baseUrl}</code>
          </div>
          <div>
            API key <code data-testid="playground-key">{key ?? '(open the URL studio serve printed)'}</code>
          </div>
        </section>
        <input className="input" placeholder="Search adapters" value={s.query} onChange={(e) => s.setQuery(e.target.value)} data-testid="playground-search" />
        <ul className="playground__models" aria-label="Models">
          {models.map((m) => {
            const a = s.adapters.find((x) => x.name === m);
            return (
              <li key={m}>
                <label title={a ? `r=${a.rank} on ${a.targets.join(', ')}; base ${a.base.path ?? '?'}` : 'The base model without an adapter'}>
                  <input type="checkbox" checked={s.selected.includes(m)} disabled={!s.selected.includes(m) && s.selected.length >= MAX_COLUMNS} onChange={() => s.toggle(m)} data-testid={`playground-model-${m}`} />
                  {/* Each part stays whole: the mark moves under the name rather than breaking it. */}
                  <span className="playground__model">
                    <span className="playground__model-name" title={m}>{m}</span>
                    {a ? <span className="playground__muted"> r{a.rank} · {a.source}</span> : <span className="playground__muted"> base</span>}
                    {a ? <VerificationMark v={s.verification[m]} name={m} /> : null}
                  </span>
                </label>
              </li>
            );
          })}
          {s.selected.filter(isRemoteModel).map((m) => (
            <li key={m}>
              <label title={`${m.slice(REMOTE_MODEL.length)} on ${s.remote.baseUrl}`}>
                <input type="checkbox" checked onChange={() => s.toggle(m)} data-testid={`playground-model-${m}`} />
                <span className="playground__model">
                  <span className="playground__model-name">{m.slice(REMOTE_MODEL.length)}</span>
                  <span className="playground__muted"> remote</span>
                </span>
              </label>
            </li>
          ))}
          {s.loaded && s.adapters.length === 0 ? <li className="playground__muted">No adapters yet: train one or run studio adapters import.</li> : null}
        </ul>
        <section className="playground__remote" data-testid="playground-remote">
          <div className="playground__muted">Compare with another OpenAI-compatible endpoint (vLLM, LoRAX, another Studio's /v1)</div>
          <input className="input" placeholder="Base URL, e.g. http://host:8000/v1" value={s.remote.baseUrl} onChange={(e) => s.setRemote({ baseUrl: e.target.value })} data-testid="playground-remote-url" />
          <input className="input" type="password" placeholder="API key (if it needs one)" value={s.remote.key} onChange={(e) => s.setRemote({ key: e.target.value })} data-testid="playground-remote-key" autoComplete="off" />
          <div className="playground__remote-row">
            <input className="input" placeholder="Model id" value={s.remote.model} onChange={(e) => s.setRemote({ model: e.target.value })} data-testid="playground-remote-model" />
            <button className="button" onClick={() => s.addRemote()} data-testid="playground-remote-add">
              <Codicon name="add" /> Add
            </button>
          </div>
          {s.remoteError ? (
            <div className="playground__error" role="alert" data-testid="playground-remote-error">
              {s.remoteError}
            </div>
          ) : null}
        </section>
        <div className="playground__sampling">
          <label title="Completion sends the prompt as it is; chat sends it as a user message through the model's chat template (/v1/chat/completions)">
            Mode
            <select className="input" value={s.mode} onChange={(e) => s.setMode(e.target.value === 'chat' ? 'chat' : 'completion')} data-testid="playground-mode">
              <option value="completion">Completion</option>
              <option value="chat">Chat</option>
            </select>
          </label>
          <label>
            Temperature <input className="input" type="number" step="0.1" min="0" max="2" value={s.sampling.temperature} onChange={(e) => num(e.target.value, (temperature) => s.setSampling({ temperature }))} />
          </label>
          <label>
            Top p <input className="input" type="number" step="0.05" min="0.05" max="1" value={s.sampling.topP} onChange={(e) => num(e.target.value, (topP) => s.setSampling({ topP }))} />
          </label>
          <label>
            Max tokens <input className="input" type="number" min="1" value={s.sampling.maxTokens} onChange={(e) => num(e.target.value, (maxTokens) => s.setSampling({ maxTokens }))} />
          </label>
          <label>
            Seed <input className="input" type="number" min="0" value={s.sampling.seed} onChange={(e) => num(e.target.value, (seed) => s.setSampling({ seed }))} />
          </label>
          <label className="playground__check">
            <input type="checkbox" checked={s.colourByProbability} onChange={(e) => s.setColour(e.target.checked)} data-testid="playground-colour" /> Colour tokens by probability
          </label>
          <label className="playground__check" title="After each answer, show which training records and contributors shaped every token (attribution.attribute)">
            <input type="checkbox" checked={attribute} onChange={(e) => attributionStore.getState().setEnabled(e.target.checked)} data-testid="playground-attribute" /> Attribute each answer
          </label>
        </div>
        <div className="playground__actions">
          <button className="button button--primary" onClick={() => s.run()} disabled={s.selected.length === 0} data-testid="playground-run">
            <Codicon name="play" /> Run on {s.selected.length}
          </button>
          <button className="button" onClick={() => s.stop()} disabled={!streaming} data-testid="playground-stop">
            <Codicon name="debug-stop" /> Stop
          </button>
        </div>
      </aside>
      <main className="playground__main">
        <div className="playground__prompt" data-testid="playground-prompt">
          <Editor
            height="120px"
            language="plaintext"
            theme={monacoThemeFor(theme)}
            value={s.prompt}
            onChange={(v) => s.setPrompt(v ?? '')}
            options={{ minimap: { enabled: false }, lineNumbers: 'off', wordWrap: 'on', scrollBeyondLastLine: false, fontSize: 13 }}
          />
        </div>
        <div className="playground__columns" style={{ gridTemplateColumns: `repeat(${Math.max(1, s.columns.length)}, minmax(0, 1fr))` }}>
          {s.columns.map((c) => (
            <ColumnView key={c.model} column={c} colour={s.colourByProbability} />
          ))}
        </div>
        <details className="playground__code">
          <summary>Request as code ({request.model})</summary>
          <pre data-testid="playground-curl">{curlCommand(request, baseUrl)}</pre>
          <pre data-testid="playground-openai">{openaiCode(request, baseUrl)}</pre>
        </details>
      </main>
    </div>
  );
}

/** Verified loading, as the picker shows it: published adapters checked against the chain. */
function VerificationMark({ v, name }: { v: AdapterVerification | undefined; name: string }) {
  if (!v) return null;
  const where = v.modelId ? `model ${v.modelId} on chain ${v.chainId}` : '';
  const [text, title, cls] =
    v.status === 'verified'
      ? ['✓ verified', `Its files match ${where} in the ModelRegistry`, 'playground__verified']
      : v.status === 'mismatch'
        ? ['✗ refused', v.message ?? `Its files do not match ${where}`, 'playground__refused']
        : v.status === 'unverifiable'
          ? ['unverified', v.message ?? 'Published, but its chain cannot be read now', 'playground__muted']
          : ['not published', 'Not registered in the ModelRegistry: its files are not checked against a chain', 'playground__muted'];
  return (
    <span className={cls} title={title} data-testid={`playground-verified-${name}`} data-status={v.status}>
      {' '}
      {text}
    </span>
  );
}

function ColumnView({ column, colour }: { column: Column; colour: boolean }) {
  const attributed = useStore(attributionStore, (a) => a.runs[column.model]?.status === 'done');
  return (
    <section className="playground__column" data-testid={`playground-column-${column.model}`} data-status={column.status}>
      <header className="playground__column-header">
        {isRemoteModel(column.model) ? `${column.model.slice(REMOTE_MODEL.length)} (remote)` : column.model}
        <span className="playground__muted"> {column.status === 'done' ? `finished (${column.finish ?? ''})` : column.status}</span>
      </header>
      {column.error ? <div className="playground__error">{column.error}</div> : null}
      {/* The heatmap shows the same text once the attribution is in: the plain output steps aside. */}
      {attributed ? null : (
        <div className="playground__output">
          {column.tokens.map((t, i) => (
            <TokenView key={i} token={t} colour={colour} />
          ))}
        </div>
      )}
      <ColumnAttribution model={column.model} />
    </section>
  );
}

function TokenView({ token, colour }: { token: StreamedToken; colour: boolean }) {
  const title = `${JSON.stringify(token.text)} ${pct(token.logprob)}\n${token.top.map((a) => `${JSON.stringify(a.text)} ${pct(a.logprob)}`).join('\n')}`;
  return (
    <span className="pg-token" data-logprob={token.logprob} title={title} style={colour ? { background: probabilityColor(token.logprob) } : undefined}>
      {token.text}
    </span>
  );
}
