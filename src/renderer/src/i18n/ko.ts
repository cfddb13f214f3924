/** Korean UI strings. */
import type { Messages } from './en';

export const ko: Messages = {
  app: {
    title: 'ModDeck',
    loading: '불러오는 중…',
    noBridge: 'ModDeck이 메인 프로세스 없이 열렸습니다.',
  },
  nav: {
    deck: '덱',
    accounts: '계정',
  },
  accounts: {
    heading: '계정',
    empty: '아직 계정이 없습니다. 계정을 추가해 모더레이션을 시작하세요.',
    add: '계정 추가',
    edit: '편집',
    remove: '삭제',
    removeConfirm: '{{name}} 계정을 삭제할까요? 키체인의 비밀 값도 함께 삭제됩니다.',
    removeConfirmYes: '삭제',
    cancel: '취소',
    sandbox: '샌드박스',
    secretSaved: '비밀 값이 키체인에 저장됨',
    secretMissing: '저장된 비밀 값 없음',
    keychain: {
      keychain: '비밀 값은 OS 키체인에 보관됩니다.',
      safeStorage: '비밀 값은 Electron safeStorage로 암호화됩니다: {{reason}}',
      memory: '비밀 값은 메모리에만 보관됩니다: {{reason}}',
      unavailable: '비밀 값을 저장할 수 없습니다: {{reason}}',
    },
  },
  accountForm: {
    headingNew: '새 계정',
    headingEdit: '{{name}} 편집',
    provider: '서비스',
    providers: {
      flipflop: 'FlipFlop',
      vchatcloud: 'VChatCloud',
    },
    name: '표시 이름',
    baseUrl: 'API 주소',
    baseUrlHint: 'https:// (http://는 이 컴퓨터에서만)',
    appApiKey: '앱 API 키',
    appApiSecret: '앱 API 시크릿',
    apiKey: 'API 키',
    eventbusUrl: '이벤트 버스 주소',
    moderatorUserId: '모더레이터 앱 사용자 ID',
    moderatorUserName: '모더레이터 이름',
    clientKey: '모더레이터 클라이언트 키',
    nickName: '모더레이터 닉네임',
    secretPlaceholderSaved: '키체인에 저장됨 — 입력하면 교체됩니다',
    secretPlaceholderNew: 'OS 키체인에 저장되며 다시 표시되지 않습니다',
    save: '저장',
    saving: '저장 중…',
    saved: '계정을 저장했습니다.',
    optional: '선택',
  },
  errors: {
    generic: '문제가 발생했습니다: {{message}}',
  },
};
