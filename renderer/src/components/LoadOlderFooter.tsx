/**
 * The foot of a newest-first list that loads older pages: a progress line while `loading`, then
 * a "load older" button while there is `more`, or a note that the list reaches genesis once `complete`.
 * `noun` names one item of the list ("block"), for the progress label and the note.
 */
export function LoadOlderFooter({
  noun,
  loading,
  more,
  complete,
  onLoadOlder,
  buttonLabel,
}: {
  noun: string;
  loading: boolean;
  more: boolean;
  complete: boolean;
  onLoadOlder: () => void;
  buttonLabel: string;
}) {
  return (
    <>
      {loading ? <div className="progress-line" role="progressbar" aria-label={`Loading ${noun}s`} /> : null}
      {more ? (
        <button type="button" className="button button--secondary" disabled={loading} onClick={onLoadOlder}>
          {buttonLabel}
        </button>
      ) : complete ? (
        <p className="muted">{`That is every ${noun} back to genesis.`}</p>
      ) : null}
    </>
  );
}
