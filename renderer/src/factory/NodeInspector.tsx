import { useEffect, useState } from 'react';
import { Codicon } from '../components/Codicon';
import { FormatPreview } from './FormatPreview';
import type { PipelineError, PipelineNode } from './factoryTypes';
import { type FieldSpec, nodeSpec } from './pipelineNodes';
import type { PipelinePath } from './pipelineYaml';

export interface NodeInspectorProps {
  node: PipelineNode;
  section: Record<string, unknown> | undefined;
  errors: readonly PipelineError[];
  /** False while the YAML does not parse: the form waits for Monaco's errors to be fixed. */
  editable: boolean;
  /** The datanet the pipeline names (the format node previews its records). */
  datanet: string | null;
  /** The pipeline's text and saved file's folder: the format preview asks the core with them. */
  yaml: string;
  baseDir: string | undefined;
  onChange(path: PipelinePath, value: unknown): void;
}

/** The selected node's settings as a form; every change is written into the pipeline's YAML. */
export function NodeInspector({ node, section, errors, editable, datanet, yaml, baseDir, onChange }: NodeInspectorProps) {
  const spec = nodeSpec(node);
  return (
    <section className="pl-inspector" data-testid="pipeline-inspector" aria-label={`${spec.title} settings`}>
      <header className="pl-inspector__header">
        <Codicon name={spec.icon} /> {spec.title}
        {section === undefined ? <span className="pl-muted"> (defaults)</span> : null}
      </header>
      <div className="pl-inspector__fields">
        {spec.fields.filter((f) => !f.when || f.when(section ?? {}) || section?.[f.key] !== undefined).map((f) => {
          const fieldErrors = errors.filter((e) => e.field === f.key || e.field.startsWith(`${f.key}.`));
          return (
            <label key={f.key} className={`pl-field${fieldErrors.length ? ' pl-field--error' : ''}`} title={f.hint}>
              <span className="pl-field__label">{f.label}</span>
              <FieldInput field={f} value={section?.[f.key]} disabled={!editable} onChange={(v) => onChange([node, f.key], v)} testId={`pipeline-field-${node}-${f.key}`} />
              {fieldErrors.map((e, i) => (
                <span key={i} className="pl-field__error">
                  {e.message}
                </span>
              ))}
            </label>
          );
        })}
        {errors
          .filter((e) => !spec.fields.some((f) => e.field === f.key || e.field.startsWith(`${f.key}.`)))
          .map((e, i) => (
            <div key={i} className="pl-field__error">
              {e.field ? <code>{e.field}</code> : null} {e.message}
            </div>
          ))}
      </div>
      {node === 'format' ? <FormatPreview datanet={datanet} yaml={yaml} baseDir={baseDir} /> : null}
    </section>
  );
}

function FieldInput({ field, value, disabled, onChange, testId }: { field: FieldSpec; value: unknown; disabled: boolean; onChange(v: unknown): void; testId: string }) {
  switch (field.kind) {
    case 'bool':
      return <input type="checkbox" checked={typeof value === 'boolean' ? value : field.fallback} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />;
    case 'select':
      return (
        <select className="input" value={value === undefined ? '' : String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={testId}>
          {field.options.includes('') ? null : <option value="">(default)</option>}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o === '' ? '(default)' : o}
            </option>
          ))}
        </select>
      );
    case 'number':
      return <DraftInput value={value} disabled={disabled} placeholder={field.placeholder} testId={testId} parse={parseNumber} format={(v) => (typeof v === 'number' ? String(v) : v === undefined ? '' : String(v))} onChange={onChange} />;
    case 'list': {
      const sep = field.separator;
      const format = (v: unknown) => (Array.isArray(v) ? v.map(String).join(sep === ',' ? ', ' : '\n') : '');
      const parse = (s: string): { ok: true; value: unknown } => {
        const items = s.split(sep).map((x) => x.trim()).filter(Boolean);
        return { ok: true, value: items.length === 0 && sep === ',' ? undefined : items };
      };
      return <DraftInput value={value} disabled={disabled} placeholder={field.placeholder} testId={testId} parse={parse} format={format} onChange={onChange} multiline={sep === '\n'} />;
    }
    case 'text':
      return (
        <DraftInput
          value={value}
          disabled={disabled}
          placeholder={field.placeholder}
          testId={testId}
          parse={(s) => ({ ok: true, value: s === '' ? undefined : s })}
          format={(v) => (v === undefined || v === null ? '' : String(v))}
          onChange={onChange}
          multiline={field.multiline}
        />
      );
  }
}

function parseNumber(s: string): { ok: boolean; value?: unknown } {
  if (s.trim() === '') return { ok: true, value: undefined };
  const n = Number(s);
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
}

/**
 * An input that keeps what is typed ("0." on the way to "0.5", "q, " on the way to "q, v") and
 * writes the parsed value; the file's value replaces the draft when it changes elsewhere (Monaco).
 */
function DraftInput(props: {
  value: unknown;
  disabled: boolean;
  placeholder?: string;
  testId: string;
  multiline?: boolean;
  parse(s: string): { ok: boolean; value?: unknown };
  format(v: unknown): string;
  onChange(v: unknown): void;
}) {
  const { value, parse, format } = props;
  const [draft, setDraft] = useState(() => format(value));
  useEffect(() => {
    setDraft((d) => {
      const p = parse(d);
      return p.ok && JSON.stringify(p.value) === JSON.stringify(value) ? d : format(value);
    });
    // parse/format are pure and fixed per field: only a new value from the file resets the draft.
  }, [value]);
  const change = (s: string) => {
    setDraft(s);
    const p = parse(s);
    if (p.ok) props.onChange(p.value);
  };
  const common = { className: 'input', value: draft, disabled: props.disabled, placeholder: props.placeholder, 'data-testid': props.testId };
  return props.multiline ? <textarea {...common} rows={3} onChange={(e) => change(e.target.value)} /> : <input {...common} onChange={(e) => change(e.target.value)} />;
}
