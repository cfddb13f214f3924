import { useTranslation } from 'react-i18next';
import { useFormatters } from '../hooks/useFormatters';
import { FLAGGED_COLUMN } from '../lib/eventKey';
import { useFeed } from '../stores/feed';
import { ColumnShowing } from './ColumnShowing';
import { FeedList } from './FeedList';

/** Flagged messages and DMs to the moderator from every open room, newest first. */
export function FlaggedColumn() {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const count = useFeed((state) => state.flagged.length);
  return (
    <section
      className="column column-flagged"
      data-column={FLAGGED_COLUMN}
      aria-labelledby="flagged-heading"
    >
      <div className="column-header">
        <div className="column-title">
          <span className="flag-icon" aria-hidden="true">
            ⚑
          </span>
          <h2 id="flagged-heading" className="column-name">
            {t('flagged.title')}
          </h2>
          <span className="column-count" aria-label={t('flagged.count', { count })}>
            {formatters.number.format(count)}
          </span>
        </div>
        <div className="column-stats">
          <ColumnShowing column={FLAGGED_COLUMN} />
        </div>
      </div>
      <FeedList column={FLAGGED_COLUMN} label={t('flagged.title')} emptyText={t('flagged.empty')} />
    </section>
  );
}
