import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useTranslation } from 'react-i18next';
import { usePanels } from '../stores/panels';

interface PanelFrameProps {
  title: ReactNode;
  /** A line under the title (the room, the user id). */
  subtitle?: ReactNode;
  children: ReactNode;
  className?: string;
  /**
   * The panel holds something the moderator wrote and has not sent: leaving it (Esc, Back, Close)
   * asks first, and Esc at the question keeps writing.
   */
  unsaved?: boolean;
  /** The moderator chose to discard the draft (see `useKeptDraft`). */
  onDiscard?: () => void;
  /** What leaving asks when `unsaved`; "Discard the message you are writing?" when absent. */
  discardQuestion?: string;
  /** What takes the focus when the panel opens (a search field); the panel itself when absent. */
  initialFocus?: RefObject<HTMLElement | null>;
}

/**
 * The frame of a deck side panel: a labelled, non-modal dialog that takes the focus when it opens,
 * gives it back when it closes, closes on Esc, and keeps the deck's shortcuts out while the focus
 * is inside it. "Back" returns to the panel it was opened from. A draft is never dropped silently.
 */
export function PanelFrame({
  title,
  subtitle,
  children,
  className,
  unsaved,
  onDiscard,
  discardQuestion,
  initialFocus,
}: PanelFrameProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const depth = usePanels((state) => state.stack.length);
  const back = usePanels((state) => state.back);
  const closeAll = usePanels((state) => state.closeAll);
  const ref = useRef<HTMLElement>(null);
  /** How the moderator asked to leave while a draft waits; null when not asking. */
  const [leaving, setLeaving] = useState<'back' | 'close' | null>(null);
  /** Where the moderator was when asked: "Keep writing" goes back there. */
  const writingAt = useRef<HTMLElement | null>(null);
  const keepWriting = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement;
    const panel = ref.current;
    (initialFocus?.current ?? panel)?.focus();
    return () => {
      // Give the focus back only if it was ours: the moderator may have moved on to the deck.
      const active = document.activeElement;
      if (active !== null && active !== document.body && panel?.contains(active) !== true) return;
      if (previous instanceof HTMLElement && previous.isConnected)
        previous.focus({ preventScroll: true });
    };
    // Once, when the panel opens: `initialFocus` is a ref, stable for the panel's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (leaving !== null) keepWriting.current?.focus();
  }, [leaving]);

  function leave(how: 'back' | 'close'): void {
    if (!unsaved) {
      if (how === 'back') back();
      else closeAll();
      return;
    }
    const active = document.activeElement;
    writingAt.current =
      active instanceof HTMLElement && ref.current?.contains(active) ? active : null;
    setLeaving(how);
  }

  function stay(): void {
    setLeaving(null);
    (writingAt.current?.isConnected ? writingAt.current : ref.current)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (leaving !== null) stay();
      else leave('back');
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
          <button
            type="button"
            className="icon-button"
            aria-label={t('panel.back')}
            onClick={() => leave('back')}
          >
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
          onClick={() => leave('close')}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="side-panel-body">
        {leaving !== null ? (
          <div
            className="confirm"
            role="group"
            aria-label={discardQuestion ?? t('panel.discardQuestion')}
          >
            <span>{discardQuestion ?? t('panel.discardQuestion')}</span>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setLeaving(null);
                onDiscard?.();
                if (leaving === 'back') back();
                else closeAll();
              }}
            >
              {t('panel.discard')}
            </button>
            <button ref={keepWriting} type="button" onClick={stay}>
              {t('panel.keepWriting')}
            </button>
          </div>
        ) : null}
        {children}
      </div>
    </section>
  );
}
