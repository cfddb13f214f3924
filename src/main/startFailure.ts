/**
 * What the native error dialog says when ModDeck cannot start at all, so a failed start is never
 * a silent exit: the reason, and the data folder it was using. In the OS language (English or
 * Korean), since no window is there to follow the settings.
 */
export interface StartFailure {
  title: string;
  content: string;
}

/** The dialog's words for a start that failed with `error` on the data folder `userDataDir`. */
export function describeStartFailure(
  error: unknown,
  userDataDir: string | null,
  systemLanguage: string,
): StartFailure {
  const reason = error instanceof Error ? error.message : String(error);
  if (systemLanguage.toLowerCase().startsWith('ko')) {
    return {
      title: 'ModDeck을 시작할 수 없습니다',
      content: `${reason}\n\n${userDataDir === null ? 'ModDeck이 데이터 폴더를 찾지 못했습니다.' : `데이터 폴더: ${userDataDir}`}\n문제를 해결한 뒤 ModDeck을 다시 시작하세요.`,
    };
  }
  return {
    title: 'ModDeck could not start',
    content: `${reason}\n\n${userDataDir === null ? 'ModDeck could not find its data folder.' : `Its data folder: ${userDataDir}`}\nFix the problem, then start ModDeck again.`,
  };
}
