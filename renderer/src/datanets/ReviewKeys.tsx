const KEYS: [string, string][] = [
  ['A', 'accept'],
  ['R', 'reject with reason'],
  ['X', 'exclude'],
  ['S', 'skip'],
  ['U', 'undo'],
  ['↑↓', 'move'],
];

/** The review queue's keys, always in sight under the table. */
export function ReviewKeys() {
  return (
    <div className="review-keys" data-testid="review-keys" aria-label="Review keys">
      <span className="muted">With the table focused:</span>
      {KEYS.map(([k, what]) => (
        <span key={k} className="review-keys__item">
          <span className="keybinding"><kbd>{k}</kbd></span> {what}
        </span>
      ))}
    </div>
  );
}
