import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePanels } from '../stores/panels';

interface PanelFrameProps {
  title: ReactNode;
  /** A line under the title (the room, the user id). */
  subtitle?: ReactNode;
  children: ReactNode;
  className?: string;
}

/**
 * The frame of a deck side panel: a labelled, non-modal dialog that takes the focus when it opens,
 * gives it back when it closes, closes on Esc, and keeps the deck's shortcuts out while the focus
 * is inside it. "Back" returns to the panel it was opened from.
 */
export function PanelFrame({ title, subtitle, children, className }: PanelFrameProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const depth = usePanels((state) => state.stack.length);
  const back = usePanels((state) => state.back);
  const closeAll = usePanels((state) => state.closeAll);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    const previous = document.activeElement;
    const panel = ref.current;
    panel?.focus();
    return () => {
      // Give the focus back only if it was ours: the moderator may have moved on to the deck.
      const active = document.activeElement;
      if (active !== null && active !== document.body && panel?.contains(active) !== true) return;
      if (previous instanceof HTMLElement && previous.isConnected)
        previous.focus({ preventScroll: true });
    };
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      back();
    }
    // Keys pressed in a panel belong to it, not to the deck.
    event.stopPropagation();
  }

  return (
    <section
      ref={ref}
      className={className ? `side-panel ${className}` : 'side-panel'}
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div className="panel-header side-panel-header">
        {depth > 1 ? (
          <button type="button" className="icon-button" aria-label={t('panel.back')} onClick={back}>
            <span aria-hidden="true">←</span>
          </button>
        ) : null}
        <div className="side-panel-title">
          <h2 id={headingId}>{title}</h2>
          {subtitle ? <p className="hint">{subtitle}</p> : null}
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label={t('panel.close')}
          onClick={closeAll}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="side-panel-body">{children}</div>
    </section>
  );
}
