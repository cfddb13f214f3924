import { describe, expect, it } from 'vitest';
import { describeStartFailure } from '../../src/main/startFailure';
import { AppError } from '../../src/shared/errors';

describe('a start that fails', () => {
  it('says why and names the data folder, for the native error dialog', () => {
    const failure = describeStartFailure(
      new AppError('STORAGE', 'Could not read /home/mod/.config/ModDeck/secrets.json: EIO'),
      '/home/mod/.config/ModDeck',
      'en-US',
    );
    expect(failure).toEqual({
      title: 'ModDeck could not start',
      content:
        'Could not read /home/mod/.config/ModDeck/secrets.json: EIO\n\nIts data folder: /home/mod/.config/ModDeck\nFix the problem, then start ModDeck again.',
    });
  });

  it('says it in Korean on a Korean system, and when the data folder is unknown', () => {
    const failure = describeStartFailure('no keychain answered', null, 'ko-KR');
    expect(failure.title).toBe('ModDeck을 시작할 수 없습니다');
    expect(failure.content).toContain('no keychain answered');
    expect(failure.content).toContain('데이터 폴더를 찾지 못했습니다');
  });
});
