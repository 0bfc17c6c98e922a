import { EmptyState } from './EmptyState';

/** The whole page when a browser holds no valid launch token: what happened and what to do. */
export function LaunchTokenRequired({ stale }: { stale: boolean }) {
  return (
    <main className="launch-token-required" data-testid="launch-token-required">
      <EmptyState icon="lock" title={stale ? 'This launch token is no longer valid' : 'This page needs the launch token'}>
        <p>
          {stale
            ? 'The server was restarted, or the link was mistyped. Open the URL that `studio serve` printed when it started.'
            : 'Open the URL that `studio serve` printed (it ends in ?token=…). The token stays in this tab only.'}
        </p>
      </EmptyState>
    </main>
  );
}
