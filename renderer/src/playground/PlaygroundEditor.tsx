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
import { BASE_MODEL, type Column, MAX_COLUMNS, filterAdapters, playgroundStore } from './playgroundStore';

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
  const request = { model: s.selected[0] ?? BASE_MODEL, prompt: s.prompt, ...s.sampling };

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
                  {m}
                  {a ? <span className="playground__muted"> r{a.rank} · {a.source}</span> : <span className="playground__muted"> base</span>}
                  {a ? <VerificationMark v={s.verification[m]} name={m} /> : null}
                </label>
              </li>
            );
          })}
          {s.loaded && s.adapters.length === 0 ? <li className="playground__muted">No adapters yet: train one or run studio adapters import.</li> : null}
        </ul>
        <div className="playground__sampling">
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
          <label>
            <input type="checkbox" checked={s.colourByProbability} onChange={(e) => s.setColour(e.target.checked)} data-testid="playground-colour" /> Colour tokens by probability
          </label>
          <label title="After each answer, show which training records and contributors shaped every token (attribution.attribute)">
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
        {column.model}
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
