import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useListKeys } from '../feedPipeline/useListKeys';
import { useFittedToHeight } from '../hooks/useFittedToHeight';
import { useFormatters } from '../hooks/useFormatters';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { describeError } from '../lib/errors';
import { HELD_COLUMN, type EventKey } from '../lib/eventKey';
import { useDeck } from '../stores/deck';
import { useFeed } from '../stores/feed';
import { reviewHeld, selectedHeld, useHeld, type Decision, type ReviewRun } from '../stores/held';
import { ColumnShowing } from './ColumnShowing';
import { HeldRow } from './HeldRow';

/**
 * Rows the column renders at most: a raid holds hundreds, and the moderator reviews from the
 * oldest, or all of a rule's at once. The window follows the cursor.
 */
export const HELD_ROWS_SHOWN = 200;

/** No held row is shorter than this: its text, why it was held and where it stands, a line each. */
const MIN_HELD_ROW_HEIGHT = 40;
/** Rows beyond those that fill the column, for the wheel and the cursor to move into. */
const HELD_SPARE_ROWS = 10;

/**
 * How many rows the column renders: as many as fill its height and a few more, at most
 * `HELD_ROWS_SHOWN` (all of those until its height is known). In a raid the oldest holds leave
 * with every batch (hidden copies pass their room's scrollback), so each of the column's renders
 * mounted 200 new rows where about 30 are seen.
 */
function heldRowsShown(height: number): number {
  return Math.min(HELD_ROWS_SHOWN, Math.ceil(height / MIN_HELD_ROW_HEIGHT) + HELD_SPARE_ROWS);
}

/** The rows to render: `size` from the oldest, or around the cursor past them; where they start. */
function windowOf(
  keys: readonly EventKey[],
  focusKey: EventKey | null,
  size: number,
): { start: number; shown: readonly EventKey[] } {
  if (keys.length <= size) return { start: 0, shown: keys };
  const at = focusKey === null ? -1 : keys.indexOf(focusKey);
  const start = at < size ? 0 : Math.min(keys.length - size, at - Math.floor(size / 2));
  return { start, shown: keys.slice(start, start + size) };
}

/** The last review's outcome in words: "3 of 5 denied, 1 already deleted, 1 failed: …". */
function RunSummary({ run }: { run: ReviewRun }) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const number = (value: number) => formatters.number.format(value);
  const settled = run.done + run.gone + run.failed + run.unknown;
  const parts = [
    settled < run.total
      ? t(`held.run.pending.${run.decision}`, {
          settled: number(settled),
          total: number(run.total),
        })
      : t(`held.run.done.${run.decision}`, { done: number(run.done), total: number(run.total) }),
    run.gone > 0 ? t('held.run.gone', { count: run.gone, formatted: number(run.gone) }) : '',
    run.failed > 0
      ? t('held.run.failed', {
          formatted: number(run.failed),
          reason: run.error ? describeError(t, run.error) : '',
        })
      : '',
    run.unknown > 0 ? t('held.run.unknown', { formatted: number(run.unknown) }) : '',
  ];
  return (
    <p className="held-run" data-settled={settled === run.total ? 'true' : undefined}>
      {parts.filter((part) => part !== '').join(' ')}
    </p>
  );
}

/**
 * What still waits in the Held column. It alone follows the store's count, which a raid changes
 * with every batch (the column's list renders on its turn, see `useListKeys`), and goes on
 * counting while the column is paused.
 */
function HeldCount() {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const count = useFeed((state) => state.held.length);
  return (
    <span className="column-count" data-count={count} aria-label={t('held.count', { count })}>
      {formatters.number.format(count)}
    </span>
  );
}

/**
 * The Held column: every message a hold rule hid, from every room, oldest hold first, until the
 * moderator approves it (shown again) or denies it (deleted). Rows stay while the column is
 * paused (the cursor or the pointer is in it) so nothing moves under them, each saying how its
 * review went; the count is what still waits. Approve all and Deny all act on the selection when
 * there is one, else on every held message.
 */
export function HeldColumn() {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const keys = useKeys();
  const feed = useRef<HTMLDivElement>(null);
  // Handed over on the column's turn, like a room's list (`useListKeys`): a raid changes the list
  // with every batch, and the column rendered with each of them.
  const live = useListKeys(HELD_COLUMN, feed);
  const frozen = useDeck((state) => state.frozen[HELD_COLUMN]);
  const focusKey = useDeck((state) =>
    state.focus?.column === HELD_COLUMN ? state.focus.key : null,
  );
  const setHovered = useDeck((state) => state.setHovered);
  const selected = useHeld((state) => state.selected);
  const run = useHeld((state) => state.run);
  const listed = frozen?.keys ?? live;
  const rowsShown = useFittedToHeight(feed, HELD_ROWS_SHOWN, heldRowsShown);
  const { start: hiddenBefore, shown } = windowOf(listed, focusKey, rowsShown);
  const empty = useFeed((state) => state.held.length === 0);
  const hiddenAfter = listed.length - hiddenBefore - shown.length;

  // Rows selected and since reviewed elsewhere are not counted.
  const chosen = useMemo(() => selectedHeld(live, selected), [live, selected]);

  function reviewAll(decision: Decision): void {
    const held = useFeed.getState().held;
    const picked = selectedHeld(held, useHeld.getState().selected);
    void reviewHeld(picked.length > 0 ? picked : held, decision);
  }

  const scope = chosen.length > 0 ? 'selected' : 'all';
  return (
    <section
      className="column column-held"
      data-column={HELD_COLUMN}
      aria-labelledby="held-heading"
      // The header's buttons too: what they review stays in sight, each row saying how it went.
      onMouseEnter={() => setHovered(HELD_COLUMN, true)}
      onMouseMove={() => {
        if (useDeck.getState().hovered !== HELD_COLUMN) setHovered(HELD_COLUMN, true);
      }}
      onMouseLeave={() => setHovered(HELD_COLUMN, false)}
    >
      <div className="column-header">
        <div className="column-title">
          <span className="held-icon" aria-hidden="true">
            ‖
          </span>
          <h2 id="held-heading" className="column-name">
            {t('held.title')}
          </h2>
          <HeldCount />
          <span className="column-tools">
            <button
              type="button"
              className="small approve"
              disabled={empty}
              title={t(`held.bulk.approve.${scope}Hint`, { key: keyLabel(keys.approveCluster) })}
              onClick={() => reviewAll('approve')}
            >
              {t(`held.bulk.approve.${scope}`, { count: chosen.length })}
            </button>
            <button
              type="button"
              className="small delete"
              disabled={empty}
              title={t(`held.bulk.deny.${scope}Hint`, { key: keyLabel(keys.denyCluster) })}
              onClick={() => reviewAll('deny')}
            >
              {t(`held.bulk.deny.${scope}`, { count: chosen.length })}
            </button>
          </span>
        </div>
        <div className="column-stats">
          <ColumnShowing column={HELD_COLUMN} />
          {chosen.length > 0 ? (
            <span className="held-selected-count">
              {t('held.selectedCount', {
                count: chosen.length,
                formatted: formatters.number.format(chosen.length),
              })}
            </span>
          ) : null}
        </div>
        <div role="status" className="held-run-status">
          {run ? <RunSummary run={run} /> : null}
        </div>
      </div>
      <div ref={feed} className="feed held-feed">
        {listed.length === 0 ? (
          <p className="feed-empty">{t('held.empty')}</p>
        ) : (
          <div role="feed" aria-label={t('held.title')} className="held-list">
            {hiddenBefore > 0 ? (
              <p className="held-more">
                {t('held.more', { formatted: formatters.number.format(hiddenBefore) })}
              </p>
            ) : null}
            {shown.map((key) => (
              <HeldRow key={key} eventKey={key} />
            ))}
            {hiddenAfter > 0 ? (
              <p className="held-more">
                {t('held.more', { formatted: formatters.number.format(hiddenAfter) })}
              </p>
            ) : null}
          </div>
        )}
      </div>
    </section>
  );
}
