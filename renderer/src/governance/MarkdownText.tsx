import { createElement } from 'react';
import { type Inline, parseMarkdown } from './markdownBlocks';

function Spans({ spans }: { spans: Inline[] }) {
  return (
    <>
      {spans.map((s, i) =>
        s.kind === 'code' ? <code key={i}>{s.text}</code> : s.kind === 'strong' ? <strong key={i}>{s.text}</strong> : s.kind === 'em' ? <em key={i}>{s.text}</em> : s.text,
      )}
    </>
  );
}

/** A proposal description rendered from its Markdown, as elements only (see markdownBlocks.ts). */
export function MarkdownText({ source, testId }: { source: string; testId?: string }) {
  return (
    <div className="gov-markdown" data-testid={testId}>
      {parseMarkdown(source).map((b, i) => {
        switch (b.kind) {
          case 'heading':
            // Headings inside a card sit below the page's h2/h3: h4 at most.
            return createElement(`h${Math.min(6, b.level + 3)}`, { key: i, className: 'gov-markdown__heading' }, <Spans spans={b.spans} />);
          case 'paragraph':
            return (
              <p key={i}>
                <Spans spans={b.spans} />
              </p>
            );
          case 'list': {
            const items = b.items.map((spans, j) => (
              <li key={j}>
                <Spans spans={spans} />
              </li>
            ));
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'code':
            return (
              <pre key={i} className="mono">
                {b.text}
              </pre>
            );
        }
      })}
    </div>
  );
}
