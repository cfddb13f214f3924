import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { CAPABILITIES, parseRoomKey } from '../../../shared/chat';
import { useAccounts } from '../stores/accounts';

/**
 * The services among a list's rooms that cannot hide a message (VChatCloud has no hide), named for
 * the window, or null when every one can. `scope` is `'global'` (every account's rooms) or a room
 * key. Where a service cannot hide, a rule's `hold` and `hide` only flag.
 */
export function useCannotHide(scope: string): string | null {
  const { t } = useTranslation();
  const providers = useAccounts(
    useShallow((state) => {
      const accountId = scope === 'global' ? null : parseRoomKey(scope).accountId;
      const names = state.accounts
        .filter((account) => accountId === null || account.id === accountId)
        .map((account) => account.provider)
        .filter((provider) => !CAPABILITIES[provider].hide);
      return [...new Set(names)];
    }),
  );
  if (providers.length === 0) return null;
  return providers.map((provider) => t(`accountForm.providers.${provider}`)).join(', ');
}
