import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo, Result } from '../../../shared/contract';
import { describeError } from '../lib/errors';
import { NOTE_MAX_LENGTH, type UserNote } from '../stores/userMemory';
import { UserNoteItem } from './UserNoteItem';

/** What the moderator is writing in the notes: a new note, and the notes being edited, by id. */
export interface NotesDraft {
  text: string;
  edits: Readonly<Record<number, string>>;
}

interface UserNotesProps {
  notes: readonly UserNote[];
  add: (text: string) => Promise<Result<unknown>>;
  edit: (id: number, text: string) => Promise<Result<unknown>>;
  remove: (id: number) => Promise<Result<unknown>>;
  /** Kept by the card, so that leaving it can ask first and a card opened again goes on with it. */
  draft: NotesDraft;
  setDraft: (change: (draft: NotesDraft) => NotesDraft) => void;
}

/** The moderator's notes on a user, kept on this machine only: add, edit, delete (asked first). */
export function UserNotes({ notes, add, edit, remove, draft, setDraft }: UserNotesProps) {
  const { t } = useTranslation();
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
              editing={draft.edits[note.id] ?? null}
              setEditing={(text) =>
                setDraft((current) => {
                  const edits = { ...current.edits };
                  if (text === null) delete edits[note.id];
                  else edits[note.id] = text;
                  return { ...current, edits };
                })
              }
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
          const text = draft.text;
          if (text.trim() === '') return;
          void run(add(text)).then((ok) => {
            // What was typed meanwhile stays.
            if (ok)
              setDraft((current) => (current.text === text ? { ...current, text: '' } : current));
          });
        }}
      >
        <label htmlFor={newNoteId}>{t('userCard.notes.new')}</label>
        <textarea
          id={newNoteId}
          value={draft.text}
          maxLength={NOTE_MAX_LENGTH}
          rows={2}
          onChange={(event) => {
            const text = event.target.value;
            setDraft((current) => ({ ...current, text }));
          }}
        />
        <button type="submit" disabled={busy || draft.text.trim() === ''}>
          {t('userCard.notes.add')}
        </button>
      </form>
    </div>
  );
}
