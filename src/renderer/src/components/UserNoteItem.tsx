import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../hooks/useFormatters';
import { NOTE_MAX_LENGTH, type UserNote } from '../stores/userMemory';

interface UserNoteItemProps {
  note: UserNote;
  busy: boolean;
  /** The note's text being edited, or null when it is not. */
  editing: string | null;
  setEditing: (text: string | null) => void;
  edit: (text: string) => Promise<boolean>;
  remove: () => Promise<boolean>;
}

/** One note: its text (as text), when it was written and edited, and its buttons. */
export function UserNoteItem({ note, busy, editing, setEditing, edit, remove }: UserNoteItemProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const [asking, setAsking] = useState(false);
  const editId = useId();
  const written = formatters.dateTime.format(note.createdAt);

  if (editing !== null)
    return (
      <li className="user-note">
        <form
          className="user-note-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (editing.trim() === '') return;
            void edit(editing).then((ok) => {
              if (ok) setEditing(null);
            });
          }}
        >
          <label htmlFor={editId}>{t('userCard.notes.editLabel')}</label>
          <textarea
            id={editId}
            value={editing}
            maxLength={NOTE_MAX_LENGTH}
            rows={3}
            onChange={(event) => setEditing(event.target.value)}
          />
          <div className="form-actions">
            <button type="submit" disabled={busy || editing.trim() === ''}>
              {t('userCard.notes.save')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('row.cancel')}
            </button>
          </div>
        </form>
      </li>
    );
  return (
    <li className="user-note">
      <p className="user-note-text">{note.text}</p>
      <div className="user-message-meta">
        <span>
          {note.editedAt === null
            ? t('userCard.notes.written', { time: written })
            : t('userCard.notes.edited', {
                time: written,
                edited: formatters.dateTime.format(note.editedAt),
              })}
        </span>
        {asking ? (
          <span className="confirm" role="group" aria-label={t('userCard.notes.deleteQuestion')}>
            <span>{t('userCard.notes.deleteQuestion')}</span>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => {
                void remove().then((ok) => {
                  if (!ok) setAsking(false);
                });
              }}
            >
              {t('userCard.notes.deleteYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('row.cancel')}
            </button>
          </span>
        ) : (
          <>
            <button type="button" className="link-button" onClick={() => setEditing(note.text)}>
              {t('userCard.notes.edit')}
            </button>
            <button type="button" className="link-button" onClick={() => setAsking(true)}>
              {t('userCard.notes.delete')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
