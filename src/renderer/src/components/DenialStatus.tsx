import { useDeckText } from '../hooks/useDeckText';
import { describeError } from '../lib/errors';
import type { EventKey } from '../lib/eventKey';
import { NAME_SLOT } from '../lib/names';
import { useDeckCommands, type Denial } from '../stores/deckCommands';
import { NamedSentence } from './NamedSentence';

interface DenialStatusProps {
  eventKey: EventKey;
  /** The author's name, as the row shows it. */
  user: string;
}

/** The translation key of where a denial stands. */
function sentenceKey(denial: Denial): string {
  if (denial.status === 'done') {
    return `row.denial.${denial.deleted === true ? 'deleted' : 'handled'}.${denial.action}`;
  }
  return `row.denial.${denial.status}.${denial.action}`;
}

/**
 * How "Deny + mute" or "Deny + exile" went for this row's message, once one was taken on it:
 * under way, done, or what failed and why. Nothing otherwise.
 */
export function DenialStatus({ eventKey, user }: DenialStatusProps) {
  const { t } = useDeckText();
  const denial = useDeckCommands((state) => state.denials[eventKey]);
  if (!denial) return null;
  const sentence = t(sentenceKey(denial), {
    user: NAME_SLOT,
    reason: denial.error ? describeError(t, denial.error) : '',
  });
  const className =
    denial.status === 'pending'
      ? 'pending'
      : denial.status === 'done'
        ? 'denial-done'
        : 'row-error';
  // Its toast is what is announced; the row keeps it in sight.
  return (
    <div className="row-status denial-status" data-denial={denial.status}>
      <span className={className}>
        {denial.status === 'pending' ? <span className="spinner" aria-hidden="true" /> : null}
        <NamedSentence sentence={sentence} name={user} />
      </span>
    </div>
  );
}
