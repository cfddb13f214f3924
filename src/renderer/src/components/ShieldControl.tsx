import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { keepTabInside } from '../lib/focusTrap';
import { useNow } from '../hooks/useNow';
import { useFeed } from '../stores/feed';
import { notUnderReview, reviewHeld, useHeld } from '../stores/held';
import { heldByShield, shieldOnSince, useShield } from '../stores/shield';

/** "2:05" or "1:02:05": how long shield mode has been on. */
function lasted(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const parts = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const shown = parts[0] === 0 ? parts.slice(1) : parts;
  return shown
    .map((part, index) => (index === 0 ? String(part) : String(part).padStart(2, '0')))
    .join(':');
}

/**
 * The top bar's shield switch: turns shield mode on in every room, says while it is on and for
 * how long, and turning it off asks what to do with what it held (approve all, deny all, or leave
 * them in the Held column).
 */
export function ShieldControl() {
  const { t } = useTranslation();
  const state = useShield((store) => store.state);
  const since = shieldOnSince(state);
  const now = useNow(since !== null);
  const ending = useShield((store) => store.ending);
  const setEnding = useShield((store) => store.setEnding);
  const [problem, setProblem] = useState<string | null>(null);

  async function turnOn(): Promise<void> {
    const error = await useShield.getState().set(null, true);
    setProblem(error ? describeError(t, error) : null);
  }

  async function askToEnd(): Promise<void> {
    const held = notUnderReview(heldByShield(useFeed.getState())).length > 0;
    const error = await useShield.getState().toggle(null, held);
    setProblem(error ? describeError(t, error) : null);
  }

  /** Turns it off, then approves or denies what it held (`null`: leaves them held). */
  async function end(decision: 'approve' | 'deny' | null): Promise<void> {
    const error = await useShield.getState().set(null, false);
    if (error) {
      setProblem(describeError(t, error));
      return;
    }
    setEnding(false);
    setProblem(null);
    if (decision === null) return;
    // As the Held column's own "approve all" or "deny all": one messages.bulk per 1,000, and each
    // row says how its review went.
    await reviewHeld(heldByShield(useFeed.getState()), decision);
  }

  return (
    <>
      {since === null ? (
        <button
          type="button"
          className="shield-button"
          aria-pressed="false"
          title={t('shield.onHint')}
          onClick={() => void turnOn()}
        >
          {t('shield.turnOn')}
        </button>
      ) : (
        <button
          type="button"
          className="shield-button top-indicator top-indicator-shield"
          aria-pressed="true"
          data-indicator="shield"
          title={t('shield.offHint')}
          onClick={() => void askToEnd()}
        >
          {state.all === null
            ? t('shield.onInRooms', { count: state.rooms.length, time: lasted(now - since) })
            : t('shield.onEverywhere', { time: lasted(now - since) })}
        </button>
      )}
      {problem ? (
        <span className="form-error" role="alert">
          {problem}
        </span>
      ) : null}
      {ending ? (
        <ShieldEndDialog
          onAnswer={(decision) => void end(decision)}
          onCancel={() => setEnding(false)}
        />
      ) : null}
    </>
  );
}

/** Asked as shield mode ends while it holds messages. Esc keeps shield mode on. */
function ShieldEndDialog({
  onAnswer,
  onCancel,
}: {
  onAnswer: (decision: 'approve' | 'deny' | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  // What the answer acts on: a message whose review is under way is not counted again.
  const reviews = useHeld((state) => state.reviews);
  const count = useFeed((state) => notUnderReview(heldByShield(state), reviews).length);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    keepTabInside(event);
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  }

  return (
    <div className="overlay">
      <div
        className="help shield-end"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="shield-end-heading"
        aria-describedby="shield-end-count"
        onKeyDown={onKeyDown}
      >
        <h2 id="shield-end-heading">{t('shield.end.title')}</h2>
        <p id="shield-end-count">{t('shield.end.count', { count })}</p>
        <div className="form-actions">
          <button ref={first} type="button" onClick={() => onAnswer('deny')}>
            {t('shield.end.deny', { count })}
          </button>
          <button type="button" onClick={() => onAnswer('approve')}>
            {t('shield.end.approve', { count })}
          </button>
          <button type="button" onClick={() => onAnswer(null)}>
            {t('shield.end.keep')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('shield.end.stayOn')}
          </button>
        </div>
      </div>
    </div>
  );
}
