import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AutomodRule } from '../../../shared/automod/config';
import {
  STORED_BACKTEST_HOURS,
  STORED_BACKTEST_MAX_MESSAGES,
  type ErrorInfo,
} from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import {
  backtestStoredDetector,
  historySize,
  type StoredDetectorBacktest as Outcome,
} from '../stores/history';
import { useRooms } from '../stores/rooms';
import { DetectorHitText } from './DetectorHitText';

interface StoredDetectorBacktestProps {
  rule: AutomodRule;
  /** The rule's name in the window's language. */
  name: string;
}

/** Stored hits listed, the latest first; the rest are counted. */
const SHOWN_HITS = 50;

type History =
  | { kind: 'checking' }
  | { kind: 'ready' }
  /** This ModDeck keeps no history. */
  | { kind: 'off' }
  | { kind: 'unreadable'; error: ErrorInfo };

type Run =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; outcome: Outcome }
  | { kind: 'failed'; error: ErrorInfo };

/** Hits of rooms the store has no name for take the name of the room open now, if it is. */
function named(outcome: Outcome): Outcome {
  if (outcome.hits.every((hit) => hit.roomName !== null)) return outcome;
  const open = useRooms.getState().byKey;
  const hits = outcome.hits.map((hit) =>
    hit.roomName === null ? { ...hit, roomName: open[hit.roomKey]?.name ?? null } : hit,
  );
  return { ...outcome, hits };
}

/**
 * The detector backtest over the message history as well as the buffered messages: the last
 * `STORED_BACKTEST_HOURS` hours, the most recent `STORED_BACKTEST_MAX_MESSAGES` messages at most,
 * replayed in main's memory worker. Without a readable history the button is off and says why.
 */
export function StoredDetectorBacktest({ rule, name }: StoredDetectorBacktestProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const hintId = useId();
  const [history, setHistory] = useState<History>({ kind: 'checking' });
  const [run, setRun] = useState<Run>({ kind: 'idle' });

  useEffect(() => {
    let current = true;
    void historySize().then((result) => {
      if (!current) return;
      if (result.ok) setHistory({ kind: 'ready' });
      else if (result.error.code === ErrorCode.Unsupported) setHistory({ kind: 'off' });
      else setHistory({ kind: 'unreadable', error: result.error });
    });
    return () => {
      current = false;
    };
  }, []);

  async function start(): Promise<void> {
    setRun({ kind: 'running' });
    const result = await backtestStoredDetector(rule);
    if (result.ok) setRun({ kind: 'done', outcome: named(result.value) });
    else if (result.error.code === ErrorCode.Unsupported) {
      setHistory({ kind: 'off' });
      setRun({ kind: 'idle' });
    } else setRun({ kind: 'failed', error: result.error });
  }

  const number = (value: number) => formatters.number.format(value);
  const time = (at: number) => formatters.dateTime.format(at);
  const why =
    history.kind === 'off'
      ? t('settings.automod.backtest.storedOff')
      : history.kind === 'unreadable'
        ? t('settings.automod.backtest.storedUnreadable', {
            reason: describeError(t, history.error),
          })
        : history.kind === 'checking'
          ? t('settings.automod.backtest.storedChecking')
          : null;
  return (
    <div className="automod-backtest-stored">
      <p className="hint" id={hintId}>
        {why ??
          t('settings.automod.backtest.storedHint', {
            hours: STORED_BACKTEST_HOURS,
            messages: number(STORED_BACKTEST_MAX_MESSAGES),
          })}
      </p>
      <button
        type="button"
        aria-label={t('settings.automod.backtest.storedRunNamed', { rule: name })}
        aria-describedby={hintId}
        disabled={history.kind !== 'ready' || run.kind === 'running'}
        onClick={() => void start()}
      >
        {t('settings.automod.backtest.storedRun')}
      </button>
      {run.kind === 'running' ? (
        <p role="status">{t('settings.automod.backtest.storedRunning')}</p>
      ) : null}
      {run.kind === 'failed' ? (
        <p role="alert" className="form-error">
          {t('settings.automod.backtest.storedFailed', { reason: describeError(t, run.error) })}
        </p>
      ) : null}
      {run.kind === 'done' ? (
        <section
          className="automod-backtest"
          aria-label={t('settings.automod.backtest.storedResult', { rule: name })}
        >
          <p role="status">{summary(run.outcome)}</p>
          {run.outcome.hits.length > 0 ? (
            <ul>
              {run.outcome.hits
                .slice(-SHOWN_HITS)
                .reverse()
                .map((hit) => (
                  <li key={`${hit.roomKey}\n${hit.eventId}`} data-event-id={hit.eventId}>
                    <span className="row-time">{time(hit.at)}</span>{' '}
                    <bdi className="row-room">{hit.roomName ?? hit.roomKey}</bdi>{' '}
                    <DetectorHitText
                      userName={hit.userName}
                      reason={hit.reason}
                      why={hit.why}
                      text={hit.text}
                    />
                  </li>
                ))}
              {run.outcome.flagged > Math.min(SHOWN_HITS, run.outcome.hits.length) ? (
                <li>
                  {t('settings.automod.backtest.more', {
                    count: run.outcome.flagged - Math.min(SHOWN_HITS, run.outcome.hits.length),
                  })}
                </li>
              ) : null}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );

  function summary(outcome: Outcome): string {
    if (outcome.scanned === 0 || outcome.from === null || outcome.to === null)
      return t('settings.automod.backtest.storedEmpty', { hours: outcome.hours });
    const window = { from: time(outcome.from), to: time(outcome.to) };
    if (outcome.flagged === 0)
      return t('settings.automod.backtest.storedNone', {
        count: outcome.scanned,
        formatted: number(outcome.scanned),
        ...window,
      });
    return t('settings.automod.backtest.storedSummary', {
      count: outcome.scanned,
      formatted: number(outcome.scanned),
      flagged: number(outcome.flagged),
      ...window,
    });
  }
}
