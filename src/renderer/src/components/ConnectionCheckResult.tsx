import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import type { ConnectionCheck } from '../stores/accounts';

interface ConnectionCheckResultProps {
  check: ConnectionCheck;
}

/** The answer of "Test connection", in words, with a mark that does not rely on colour. */
export function ConnectionCheckResult({ check }: ConnectionCheckResultProps) {
  const { t } = useTranslation();
  if (check.status === 'testing') {
    return <p className="connection-check">{t('accounts.testing')}</p>;
  }
  if (check.status === 'error') {
    return (
      <p className="connection-check connection-check-failed">
        <span aria-hidden="true">✗ </span>
        {t('accounts.testFailed', { reason: describeError(t, check.error) })}
      </p>
    );
  }
  const { answer } = check;
  if (answer.ok) {
    return (
      <p className="connection-check connection-check-ok">
        <span aria-hidden="true">✓ </span>
        {answer.roomCount !== undefined
          ? t('accounts.testOk', { count: answer.roomCount })
          : answer.message}
      </p>
    );
  }
  return (
    <p className="connection-check connection-check-failed">
      <span aria-hidden="true">✗ </span>
      {t('accounts.testFailed', {
        reason: answer.code
          ? describeError(t, { code: answer.code, message: answer.message })
          : answer.message,
      })}
    </p>
  );
}
