import { type KeyboardEvent, type PointerEvent, useRef } from 'react';

interface SashProps {
  /** 'vertical' sits between side bar and editor (drag left/right); 'horizontal' above the panel. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  value: number;
  /** Called with the size the drag or key asks for; the store clamps it. */
  onResize: (size: number) => void;
  /** +1 when dragging right/down grows the size, -1 when it shrinks it. */
  direction: 1 | -1;
}

const KEY_STEP = 16;

/** A drag handle between two parts of the workbench; arrow keys resize it too. */
export function Sash({ orientation, label, value, onResize, direction }: SashProps) {
  const start = useRef<{ pos: number; size: number } | null>(null);
  const horizontal = orientation === 'horizontal';

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { pos: horizontal ? e.clientY : e.clientX, size: value };
    document.body.classList.add(horizontal ? 'is-resizing-rows' : 'is-resizing-columns');
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const delta = (horizontal ? e.clientY : e.clientX) - start.current.pos;
    onResize(start.current.size + direction * delta);
  };
  const onPointerUp = () => {
    start.current = null;
    document.body.classList.remove('is-resizing-rows', 'is-resizing-columns');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow = horizontal ? { ArrowUp: 1, ArrowDown: -1 } : { ArrowRight: 1, ArrowLeft: -1 };
    const step = grow[e.key as keyof typeof grow];
    if (step === undefined) return;
    e.preventDefault();
    onResize(value + step * KEY_STEP * (horizontal ? -direction : direction));
  };

  return (
    <div
      className={`sash sash--${orientation}`}
      role="separator"
      aria-orientation={horizontal ? 'horizontal' : 'vertical'}
      aria-label={label}
      aria-valuenow={value}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
