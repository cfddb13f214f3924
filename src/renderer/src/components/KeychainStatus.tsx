import { useTranslation } from 'react-i18next';
import type { SecretStoreStatus } from '../../../shared/model';

interface KeychainStatusProps {
  status: SecretStoreStatus;
}

/** Which store keeps the secrets, and why it is not the OS keychain when it is not. */
export function KeychainStatus({ status }: KeychainStatusProps) {
  const { t } = useTranslation();
  const warning = status.kind !== 'keychain';
  // In the window's language when main gave the cause; the keychain's own words stay as it said them.
  const reason = status.cause
    ? t(`accounts.keychain.causes.${status.cause}`, { detail: status.detail ?? '?' })
    : status.reason;
  return (
    <p className={`keychain-status keychain-${status.kind}`} role={warning ? 'note' : undefined}>
      {warning ? <span aria-hidden="true">⚠ </span> : null}
      {t(`accounts.keychain.${status.kind}`)}
      {reason ? ` ${t('accounts.keychain.why', { reason })}` : null}
    </p>
  );
}
