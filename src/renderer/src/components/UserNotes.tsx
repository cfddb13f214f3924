import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo, Result } from '../../../shared/contract';
import { describeError } from '../lib/errors';
import { NOTE_MAX_LENGTH, type UserNote } from '../stores/userMemory';
import { UserNoteItem } from './UserNoteItem';

interface UserNotesProps {
  notes: readonly UserNote[];
  add: (text: string) => Promise<Result<unknown>>;
  edit: (id: number, text: string) => Promise<Result<unknown>>;
  remove: (id: number) => Promise<Result<unknown>>;
}

/** The moderator's notes on a user, kept on this machine only: add, edit, delete (asked first). */
export function UserNotes({ notes, add, edit, remove }: UserNotesProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const newNoteId = useId();

  async function run(change: Promise<Result<unknown>>): Promise<boolean> {
    setBusy(true);
    setError(null);
    const result = await change;
    setBusy(false);
    if (!result.ok) setError(result.error);
    return result.ok;
  }

  return (
    <div className="user-notes">
      <p className="hint">{t('userCard.notes.local')}</p>
      {notes.length === 0 ? (
        <p className="hint">{t('userCard.notes.none')}</p>
      ) : (
        <ul className="user-history" aria-label={t('userCard.notes.heading')}>
          {notes.map((note) => (
            <UserNoteItem
              key={note.id}
              note={note}
              busy={busy}
              edit={(text) => run(edit(note.id, text))}
              remove={() => run(remove(note.id))}
            />
          ))}
        </ul>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {t('userCard.notes.failed', { reason: describeError(t, error) })}
        </p>
      ) : null}
      <form
        className="user-note-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim() === '') return;
          void run(add(draft)).then((ok) => {
            if (ok) setDraft('');
          });
        }}
      >
        <label htmlFor={newNoteId}>{t('userCard.notes.new')}</label>
        <textarea
          id={newNoteId}
          value={draft}
          maxLength={NOTE_MAX_LENGTH}
          rows={2}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={busy || draft.trim() === ''}>
          {t('userCard.notes.add')}
        </button>
      </form>
    </div>
  );
}
