import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { RoomKey } from '../../../shared/chat';
import { describeQuery, parseQuery } from '../../../shared/search';
import { useFormatters } from '../hooks/useFormatters';
import { downloadText } from '../lib/download';
import { describeError } from '../lib/errors';
import { searchExportName, searchResultsCsv, searchResultsJsonl } from '../lib/searchExport';
import { useFeed } from '../stores/feed';
import { usePanels } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { hasMoreResults, mergedResults, useSearch, type SearchResult } from '../stores/search';
import { useView } from '../stores/view';
import { FoundMessage } from './FoundMessage';
import { PanelFrame } from './PanelFrame';

interface SearchPanelProps {
  /** The rooms searched; every room when null. */
  roomKeys: RoomKey[] | null;
}

/**
 * Search over the open columns' messages and the stored history (`stores/search.ts`). Enter
 * searches; ↓ goes from the field to the results, ↑/↓ move among them, Enter opens one: in its
 * column when it is still there, otherwise in the history view. Esc closes the panel.
 */
export function SearchPanel({ roomKeys }: SearchPanelProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const fieldId = useId();
  const hintId = useId();
  const search = useSearch(
    useShallow((state) => ({
      text: state.text,
      error: state.error,
      query: state.query,
      searching: state.searching,
      stoppedEarly: state.stoppedEarly,
      historyOff: state.historyOff,
      storeError: state.storeError,
    })),
  );
  // Merged here, not in a selector: the merge makes new objects, which a selector must not.
  const parts = useSearch(
    useShallow((state) => ({
      live: state.live,
      stored: state.stored,
      cursor: state.cursor,
      historyOff: state.historyOff,
      storeError: state.storeError,
      liveShown: state.liveShown,
      stoppedEarly: state.stoppedEarly,
    })),
  );
  const results = useMemo(() => mergedResults(parts), [parts]);
  const hasMore = hasMoreResults(parts);
  const roomName = useRooms((state) =>
    roomKeys?.length === 1 ? (state.byKey[roomKeys[0]!]?.name ?? roomKeys[0]!) : null,
  );
  const [active, setActive] = useState(0);
  const [gone, setGone] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const fieldRef = useRef<HTMLInputElement>(null);

  // What the query will search, said back as the moderator types it (parsed here, sent later).
  const typed = useMemo(() => parseQuery(search.text), [search.text]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    setActive(0);
    setGone(null);
    void useSearch.getState().search();
  }

  function focusResult(index: number): void {
    const items = listRef.current?.querySelectorAll<HTMLElement>('[role="option"]');
    if (!items || items.length === 0) return;
    const next = Math.max(0, Math.min(index, items.length - 1));
    setActive(next);
    items[next]?.focus();
  }

  function open(result: SearchResult): void {
    setGone(null);
    const buffered = useFeed.getState().rooms[result.roomKey]?.byKey.has(result.key) === true;
    if (buffered && useRooms.getState().byKey[result.roomKey]) {
      useView.getState().showOnDeck({ column: result.roomKey, key: result.key });
      return;
    }
    if (result.seq === null) {
      setGone(result.key);
      return;
    }
    usePanels.getState().open({
      type: 'history',
      roomKey: result.roomKey,
      seq: result.seq,
      eventId: result.event.id,
    });
  }

  function onFieldKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'ArrowDown' && results.length > 0) {
      event.preventDefault();
      focusResult(active);
    }
  }

  function onResultKeyDown(event: KeyboardEvent<HTMLElement>, index: number): void {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusResult(index + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (index === 0) fieldRef.current?.focus();
        else focusResult(index - 1);
        break;
      case 'Home':
        event.preventDefault();
        focusResult(0);
        break;
      case 'End':
        event.preventDefault();
        focusResult(results.length - 1);
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        open(results[index]!);
        break;
    }
  }

  function exportAs(format: 'csv' | 'jsonl'): void {
    const content = format === 'csv' ? searchResultsCsv(results) : searchResultsJsonl(results);
    downloadText(
      searchExportName(format, Date.now()),
      content,
      format === 'csv' ? 'text/csv' : 'application/jsonl',
    );
  }

  const hint = search.error
    ? null
    : typed.ok
      ? typed.query.clauses.length === 0
        ? t('search.everything')
        : t('search.means', { query: describeQuery(typed.query) })
      : null;
  const searched = search.query !== null;

  return (
    <PanelFrame
      title={t('search.title')}
      subtitle={
        roomName !== null ? t('search.scopeRoom', { name: roomName }) : t('search.scopeAll')
      }
      className="search-panel"
      // The panel opens to type a query: the field, not the frame, takes the focus.
      initialFocus={fieldRef}
    >
      <form role="search" onSubmit={submit} aria-label={t('search.title')}>
        <div className="field">
          <label htmlFor={fieldId}>{t('search.field')}</label>
          <input
            ref={fieldRef}
            id={fieldId}
            type="search"
            value={search.text}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={search.error !== null}
            aria-describedby={hintId}
            onChange={(event) => useSearch.getState().setText(event.target.value)}
            onKeyDown={onFieldKeyDown}
          />
        </div>
        {search.error !== null ? (
          <p id={hintId} className="form-error" role="alert">
            {search.error}
          </p>
        ) : (
          <p id={hintId} className="hint">
            {hint}
          </p>
        )}
        <button type="submit" disabled={search.searching}>
          {t('search.submit')}
        </button>
      </form>
      <p className="hint" role="status">
        {search.searching
          ? t('search.searching')
          : searched
            ? results.length === 0
              ? t('search.none')
              : t('search.count', {
                  count: results.length,
                  formatted: formatters.number.format(results.length),
                })
            : ''}
      </p>
      {search.historyOff ? (
        <p className="hint search-history-off">{t('search.historyOff')}</p>
      ) : null}
      {search.storeError !== null ? (
        <p className="form-error" role="alert">
          {t('search.storeFailed', { reason: describeError(t, search.storeError) })}
        </p>
      ) : null}
      {gone !== null ? (
        <p className="form-error" role="alert">
          {t('search.gone')}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ul
          ref={listRef}
          className="search-results"
          role="listbox"
          aria-label={t('search.results')}
        >
          {results.map((result, index) => (
            <li
              key={result.key}
              role="option"
              aria-selected={index === active}
              aria-label={t('search.resultLabel', {
                user: result.event.user?.name ?? t('search.noUser'),
                room: result.roomName,
                time: formatters.dateTime.format(result.event.createdAt),
                state: t(`search.states.${result.state}`),
                text: result.event.text,
              })}
              tabIndex={index === active ? 0 : -1}
              data-result-key={result.key}
              onFocus={() => setActive(index)}
              onKeyDown={(event) => onResultKeyDown(event, index)}
              onClick={() => {
                setActive(index);
                open(result);
              }}
            >
              <FoundMessage result={result} />
            </li>
          ))}
        </ul>
      ) : null}
      {search.stoppedEarly ? (
        <div className="search-stopped" role="group" aria-label={t('search.stoppedEarly')}>
          <p className="hint">{t('search.stoppedEarly')}</p>
          <button type="button" onClick={() => void useSearch.getState().more()}>
            {t('search.goOn')}
          </button>
        </div>
      ) : null}
      {hasMore ? (
        <button
          type="button"
          disabled={search.searching}
          onClick={() => void useSearch.getState().more()}
        >
          {t('search.more')}
        </button>
      ) : searched && !search.searching && !search.stoppedEarly && results.length > 0 ? (
        <p className="hint">{t('search.end')}</p>
      ) : null}
      {results.length > 0 ? (
        <div className="search-export" role="group" aria-label={t('search.exportLabel')}>
          <button type="button" onClick={() => exportAs('csv')}>
            {t('search.exportCsv')}
          </button>
          <button type="button" onClick={() => exportAs('jsonl')}>
            {t('search.exportJsonl')}
          </button>
        </div>
      ) : null}
    </PanelFrame>
  );
}
