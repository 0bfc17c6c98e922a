import { DecodedValue } from './DecodedValue';

/** Named arguments (a call, an event, an error) as name / value rows; `verbatim` as in DecodedValue. */
export function NamedArgs({ args, types, verbatim }: { args: Record<string, unknown>; types?: Record<string, string>; verbatim?: boolean }) {
  const entries = Object.entries(args);
  if (entries.length === 0) return <p className="muted named-args__none">No arguments.</p>;
  return (
    <dl className="named-args">
      {entries.map(([name, value]) => (
        <div key={name} className="named-args__row">
          <dt>
            {name}
            {types?.[name] ? <span className="named-args__type">{types[name]}</span> : null}
          </dt>
          <dd>
            <DecodedValue value={value} verbatim={verbatim ?? false} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
