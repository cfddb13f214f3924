import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from '../stores/rooms';

interface ResizeHandleProps {
  width: number;
  /** Saves the width the moderator chose. */
  onResize: (width: number) => void;
  /** The width while dragging; `null` once the drag is over and the width saved. */
  onPreview: (width: number | null) => void;
}

const KEY_STEP = 20;

/** The column's right edge: drag it, or focus it and press ←/→. */
export function ResizeHandle({ width, onResize, onPreview }: ResizeHandleProps) {
  const { t } = useTranslation();
  const drag = useRef<{ startX: number; startWidth: number; width: number } | null>(null);

  function clamp(value: number): number {
    return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, Math.round(value)));
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>): void {
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: width, width };
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>): void {
    if (!drag.current) return;
    drag.current.width = clamp(drag.current.startWidth + event.clientX - drag.current.startX);
    onPreview(drag.current.width);
  }

  function onPointerUp(): void {
    if (!drag.current) return;
    onResize(drag.current.width);
    drag.current = null;
    onPreview(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const step = event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0;
    if (step === 0) return;
    // The arrows resize here; they must not also move the deck's cursor.
    event.preventDefault();
    event.stopPropagation();
    onResize(clamp(width + step));
  }

  return (
    <div
      className="resize-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('column.resize')}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
