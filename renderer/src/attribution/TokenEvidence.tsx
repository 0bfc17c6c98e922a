import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { RecordScore, ResponseAttribution } from '../../../main/api/attributionSchemas';
import { Codicon } from '../components/Codicon';
import { openDatanetRecord } from '../datanets/datanetTabs';
import { attributionStore, type RecordLookup, recordKey } from './attributionStore';
import { contributorColors, evidenceText, formatScore, formatShare, highlightSegments, tokenContributors } from './attributionFormat';
import { ContributorName } from './ContributorName';

/** Records shown per token: the panel stays readable; the core sends at most ten. */
const SHOWN = 5;

/** One record's text, read from its datanet on first show. */
function RecordText({ datanet, sourceId, needle, large }: { datanet: string; sourceId: string; needle: string; large?: boolean }) {
  const lookup = useStore(attributionStore, (s) => s.records[recordKey(datanet, sourceId)]);
  useEffect(() => attributionStore.getState().loadRecord(datanet, sourceId), [datanet, sourceId]);
  return <RecordTextView lookup={lookup} needle={needle} large={large} />;
}

/** A record's text with the response's matching words marked. */
export function RecordTextView({ lookup, needle, large }: { lookup: RecordLookup | undefined; needle: string; large?: boolean }) {
  if (!lookup || lookup.status === 'loading') return <div className="attr-record__text muted">reading the record…</div>;
  if (lookup.status === 'missing') return <div className="attr-record__text tone-error">{lookup.message}</div>;
  const text = lookup.record.text;
  // A long record is cut around its first match so the highlight is in view.
  const limit = large ? 420 : 320;
  const at = Math.max(0, text.indexOf(needle.trim()));
  const from = text.length <= limit || at < limit / 3 ? 0 : at - Math.floor(limit / 3);
  const shown = text.slice(from, from + limit);
  return (
    <div className="attr-record__text" data-testid="attr-record-text">
      {from > 0 ? '…' : ''}
      {highlightSegments(shown, needle).map((s, i) =>
        s.mark ? (
          <mark key={i} className="attr-match">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
      {from + limit < text.length ? '…' : ''}
    </div>
  );
}

function RecordRow({ result, r, needle, color, large }: { result: ResponseAttribution; r: RecordScore; needle: string; color: string | undefined; large?: boolean }) {
  return (
    <li className="attr-record" data-testid="attr-record" data-record={r.record} data-contributor={r.contributor}>
      <div className="attr-record__head">
        <span className="attr-record__id mono" title="The record's source id in its datanet">
          {r.record}
        </span>
        <ContributorName address={r.contributor} color={color} />
        <span className="attr-record__scores">
          <span title="Combined score (the rule is under the chart)">score {formatScore(r.score)}</span>
          <span title="Exact-span evidence: longest verbatim match, weighted by rarity" data-testid="attr-record-span-score">
            span {formatScore(r.spanScore)}
          </span>
          <span title={r.gradientScore === null ? 'No gradient evidence for this adapter (see the note under the chart): exact spans only' : 'Gradient influence on this token'} data-testid="attr-record-gradient-score">
            gradient {formatScore(r.gradientScore)}
          </span>
          <span title="Prompt context: how decisively the record also holds the prompt's own words (it re-ranks records with evidence here, never adds one)" data-testid="attr-record-context-score">
            prompt {formatScore(r.contextScore)}
          </span>
        </span>
        <button
          type="button"
          className="link-button attr-record__open"
          data-testid="attr-open-record"
          title={`Open ${r.record} in ${result.datanet.name}'s records`}
          onClick={() => {
            attributionStore.getState().closePresenter();
            openDatanetRecord(result.datanet.name, r.record);
          }}
        >
          <Codicon name="go-to-file" /> open in datanet
        </button>
      </div>
      <RecordText datanet={result.datanet.name} sourceId={r.record} needle={needle} large={large} />
    </li>
  );
}

/**
 * A token's evidence: the span it belongs to, its top records with the shared text marked in each
 * record, their contributors, the combined, span and gradient scores, and the way to the record in
 * its datanet's inspector.
 */
export function TokenEvidence({ result, token, large }: { result: ResponseAttribution; token: number; large?: boolean }) {
  const t = result.tokens[token];
  if (!t) return null;
  const colors = contributorColors(result);
  const needle = evidenceText(t);
  const span = t.attribution.span;
  return (
    <section className={large ? 'attr-evidence attr-evidence--large' : 'attr-evidence'} data-testid="attr-evidence-panel" data-token-index={token} aria-label="Token evidence">
      <header className="attr-evidence__head">
        <span className="attr-evidence__token">{JSON.stringify(t.text)}</span>
        <span className="muted">
          token {token + 1} of {result.tokens.length} · longest match {t.matchLength} token{t.matchLength === 1 ? '' : 's'}
        </span>
      </header>
      {span ? (
        <div className="attr-evidence__span" data-testid="attr-span">
          in the span <q>{span.text}</q>{' '}
          <span className="muted">
            found {span.occurrences}× in {result.datanet.name}@{result.datanet.version}
          </span>
        </div>
      ) : null}
      {t.attribution.records.length > 0 ? (
        <ul className="attr-evidence__who" aria-label="This token's contributors" data-testid="attr-token-contributors">
          {tokenContributors(t).map((c) => (
            <li key={c.address}>
              <ContributorName address={c.address} color={colors.get(c.address)} />
              <span className="attr-evidence__who-share num">{formatShare(c.share)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {t.attribution.records.length === 0 ? (
        <p className="muted">No training record supports this token.</p>
      ) : (
        <ol className="attr-evidence__records">
          {t.attribution.records.slice(0, SHOWN).map((r) => (
            <RecordRow key={r.record} result={result} r={r} needle={needle} color={colors.get(r.contributor)} large={large} />
          ))}
        </ol>
      )}
      {t.attribution.records.length > SHOWN ? <p className="muted">and {t.attribution.records.length - SHOWN} more record(s) with lower scores.</p> : null}
    </section>
  );
}
