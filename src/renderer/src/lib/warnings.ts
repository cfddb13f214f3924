/** Main's warnings in the moderator's words: each kind has its sentence in every language. */
import type { TFunction } from 'i18next';
import type { AppWarning, ProfileLoss } from '../../../shared/warnings';

export function warningText(t: TFunction, warning: AppWarning): string {
  switch (warning.kind) {
    case 'profileDamaged': {
      const found = t('warnings.profileDamaged', {
        file: warning.file,
        lost: warning.lost.map((loss) => lossText(t, loss)).join(t('warnings.separator')),
      });
      const kept =
        warning.copy === null
          ? t('warnings.profileNotKept', { reason: warning.copyProblem ?? '' })
          : t('warnings.profileKept', { copy: warning.copy });
      return `${found} ${kept}`;
    }
    case 'profileUnreadable':
      return t('warnings.profileUnreadable', { file: warning.file, reason: warning.reason });
    case 'auditPending':
      return t('warnings.auditPending', {
        count: warning.count,
        folder: warning.folder,
        reason: warning.reason,
      });
    case 'memoryPaused':
      return t('warnings.memoryPaused', { file: warning.file, reason: warning.reason });
    case 'memoryMovedAside':
      return t('warnings.memoryMovedAside', {
        file: warning.file,
        copy: warning.copy,
        reason: warning.reason,
      });
    case 'memoryBehind':
      return t('warnings.memoryBehind');
    case 'sandboxFailed':
      return t('warnings.sandboxFailed', { reason: warning.reason });
    case 'rulesNotInUse':
      return t('warnings.rulesNotInUse', {
        count: warning.count,
        patterns:
          warning.patterns.join(t('warnings.separator')) +
          (warning.count > warning.patterns.length ? '…' : ''),
      });
    case 'other':
      return warning.message;
  }
}

function lossText(t: TFunction, loss: ProfileLoss): string {
  switch (loss.what) {
    case 'file':
      return t('warnings.lost.file', { reason: loss.reason });
    case 'accountList':
      return t('warnings.lost.accountList');
    case 'accounts':
      return t('warnings.lost.accounts', { count: loss.count });
    case 'settings':
      return t('warnings.lost.settings');
    case 'sections':
      return t('warnings.lost.sections', {
        // A section this window does not know by name (from a newer main) keeps its own name.
        names: loss.names
          .map((name) => t(`warnings.sections.${name}`, { defaultValue: name }))
          .join(', '),
      });
    case 'rules':
      return t('warnings.lost.rules', { count: loss.count });
    case 'unknownFields':
      return t('warnings.lost.unknownFields');
    case 'version':
      return t('warnings.lost.version', { version: loss.version });
    case 'byteOrderMark':
      return t('warnings.lost.byteOrderMark');
  }
}
