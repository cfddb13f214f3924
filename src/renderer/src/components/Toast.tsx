import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAction } from '../../../shared/chat';
import { ErrorCode } from '../../../shared/errors';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { describeError } from '../lib/errors';
import { NAME_SLOT } from '../lib/names';
import { useDeckCommands } from '../stores/deckCommands';
import { useRooms } from '../stores/rooms';
import { useToasts, type Toast as ToastData } from '../stores/toasts';
import { NamedSentence } from './NamedSentence';
import { ReasonPicker } from './ReasonPicker';

/** How long a toast stays: the undo offer for a hide, a hint, a user action, and a failure. */
export const UNDO_TOAST_MS = 5000;
export const HINT_TOAST_MS = 4000;
export const USER_TOAST_MS = 5000;
export const FAILURE_TOAST_MS = 8000;

/** The action that lifts one just taken, offered in its toast. */
const REVERSE: Partial<Record<UserAction, UserAction>> = { mute: 'unmute', exile: 'unexile' };

function lifetime(toast: ToastData): number {
  switch (toast.type) {
    case 'hidden':
    case 'deleted':
      return UNDO_TOAST_MS;
    case 'unavailable':
    case 'hint':
      return HINT_TOAST_MS;
    case 'user':
      return toast.error ? FAILURE_TOAST_MS : USER_TOAST_MS;
    case 'failed':
    case 'unknown':
    case 'markHandledFailed':
      return FAILURE_TOAST_MS;
    case 'many':
      return toast.pending || toast.failed + toast.unknown > 0 ? FAILURE_TOAST_MS : UNDO_TOAST_MS;
  }
}

/**
 * The undo offer after a hide, why an action failed, what a user action did, that the room's
 * provider has no such action, or why a key did nothing.
 */
export function Toast() {
  const { t } = useTranslation();
  const keys = useKeys();
  const toast = useToasts((state) => state.toast);
  const dismissToast = useToasts((state) => state.dismiss);
  const undo = useDeckCommands((state) => state.undo);
  const retry = useDeckCommands((state) => state.retry);
  const userAction = useDeckCommands((state) => state.userAction);
  // Whether the reason offered is for the action this toast is about.
  const offersReason = useDeckCommands((state) => {
    const offer = state.reasonOffer;
    if (!offer || !toast) return false;
    if (toast.type === 'hidden' || toast.type === 'deleted') return offer.eventKey === toast.key;
    return (
      toast.type === 'user' &&
      !toast.error &&
      offer.target.roomKey === toast.roomKey &&
      offer.target.userId === toast.user.id &&
      offer.target.action === toast.action
    );
  });
  const roomName = useRooms((state) =>
    toast?.type === 'user' ? (state.byKey[toast.roomKey]?.name ?? toast.roomKey) : '',
  );

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => dismissToast(toast.id), lifetime(toast));
    return () => clearTimeout(timer);
  }, [toast, dismissToast]);

  const reverse = toast?.type === 'user' && !toast.error ? REVERSE[toast.action] : undefined;
  const userOutcome =
    toast?.type !== 'user'
      ? null
      : !toast.error
        ? 'done'
        : toast.error.code === ErrorCode.OutcomeUnknown
          ? 'unknown'
          : 'failed';

  return (
    <div className="toast-region" role="status">
      {toast?.type === 'hidden' ? (
        <div className="toast" data-toast="hidden">
          <span>{t('toast.hidden')}</span>
          <button type="button" onClick={() => void undo()}>
            {t('toast.undo', { key: keyLabel(keys.undo) })}
          </button>
          {offersReason ? <ReasonPicker /> : null}
        </div>
      ) : null}
      {toast?.type === 'many' ? (
        <div
          className={
            toast.failed > 0
              ? 'toast toast-error'
              : toast.unknown > 0
                ? 'toast toast-unknown'
                : 'toast'
          }
          data-toast="many"
        >
          <span>
            {toast.pending
              ? t(`toast.many.pending.${toast.kind}`, { count: toast.total })
              : [
                  t(`toast.many.done.${toast.kind}`, { done: toast.done, total: toast.total }),
                  toast.failed > 0 && toast.error
                    ? t('toast.many.failed', {
                        failed: toast.failed,
                        reason: describeError(t, toast.error),
                      })
                    : null,
                  toast.unknown > 0 ? t('toast.many.unknown', { unknown: toast.unknown }) : null,
                ]
                  .filter((part) => part !== null)
                  .join(' ')}
          </span>
          {!toast.pending && toast.kind === 'hide' && toast.done > 0 ? (
            <button type="button" onClick={() => void undo()}>
              {t('toast.undo', { key: keyLabel(keys.undo) })}
            </button>
          ) : null}
          {!toast.pending ? (
            <button type="button" onClick={() => dismissToast(toast.id)}>
              {t('row.dismiss')}
            </button>
          ) : null}
        </div>
      ) : null}
      {toast?.type === 'deleted' ? (
        <div className="toast" data-toast="deleted">
          <span>{t('toast.deleted')}</span>
          {offersReason ? <ReasonPicker /> : null}
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
      {toast?.type === 'failed' || toast?.type === 'unknown' ? (
        <div
          className={toast.type === 'failed' ? 'toast toast-error' : 'toast toast-unknown'}
          data-toast={toast.type}
        >
          <span>
            {toast.type === 'failed'
              ? t(`row.failedAction.${toast.kind}`, { reason: describeError(t, toast.error) })
              : t(`row.unknownAction.${toast.kind}`)}
          </span>
          <button
            type="button"
            onClick={() => {
              dismissToast(toast.id);
              void retry(toast.key);
            }}
          >
            {t('row.retry')}
          </button>
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
      {toast?.type === 'markHandledFailed' ? (
        <div className="toast toast-error" data-toast="markHandledFailed">
          <span>{t('flagged.markHandledFailed', { reason: describeError(t, toast.error) })}</span>
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
      {toast?.type === 'unavailable' ? (
        <div className="toast" data-toast="unavailable">
          <span>
            {t(`toast.unavailable.${toast.command}`, {
              provider: t(`accountForm.providers.${toast.provider}`),
            })}
            {toast.userActions
              ? ` ${t('toast.userInstead', { muteKey: keyLabel(keys.mute), exileKey: keyLabel(keys.exile) })}`
              : null}
          </span>
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
      {toast?.type === 'hint' ? (
        <div className="toast" data-toast="hint">
          <span>{t(`toast.hints.${toast.hint}`)}</span>
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
      {toast?.type === 'user' ? (
        <div
          className={
            userOutcome === 'failed'
              ? 'toast toast-error'
              : userOutcome === 'unknown'
                ? 'toast toast-unknown'
                : 'toast'
          }
          data-toast={userOutcome === 'done' ? 'user' : `user-${userOutcome}`}
        >
          <span>
            <NamedSentence
              sentence={
                userOutcome === 'unknown'
                  ? t(`toast.userUnknown.${toast.action}`, { user: NAME_SLOT, room: roomName })
                  : toast.error
                    ? t(`toast.userFailed.${toast.action}`, {
                        user: NAME_SLOT,
                        reason: describeError(t, toast.error),
                      })
                    : t(`toast.userDone.${toast.action}`, { user: NAME_SLOT, room: roomName })
              }
              name={toast.user.name}
            />
          </span>
          {toast.error ? (
            <button
              type="button"
              onClick={() => {
                dismissToast(toast.id);
                void userAction(toast.roomKey, toast.user, toast.action);
              }}
            >
              {t('row.retry')}
            </button>
          ) : null}
          {reverse ? (
            <button
              type="button"
              onClick={() => {
                dismissToast(toast.id);
                void userAction(toast.roomKey, toast.user, reverse);
              }}
            >
              {t(`userCard.actions.${reverse}`)}
            </button>
          ) : null}
          {offersReason ? <ReasonPicker /> : null}
          <button type="button" onClick={() => dismissToast(toast.id)}>
            {t('row.dismiss')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
