interface CodiconProps {
  name: string;
  className?: string;
  spin?: boolean;
  title?: string;
}

/** A codicon glyph; decorative unless given a title. */
export function Codicon({ name, className, spin, title }: CodiconProps) {
  const classes = ['codicon', `codicon-${name}`, spin ? 'codicon-modifier-spin' : '', className ?? ''].filter(Boolean).join(' ');
  return title ? <span className={classes} role="img" aria-label={title} title={title} /> : <span className={classes} aria-hidden="true" />;
}
