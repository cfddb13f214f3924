/** English UI strings: the reference set. Every key here must exist in every other language. */
export const en = {
  app: {
    title: 'ModDeck',
    loading: 'Loading…',
    noBridge: 'ModDeck was opened without its main process.',
  },
  nav: {
    deck: 'Deck',
    accounts: 'Accounts',
  },
  accounts: {
    heading: 'Accounts',
    empty: 'No accounts yet. Add one to start moderating.',
    add: 'Add account',
    edit: 'Edit',
    remove: 'Remove',
    removeConfirm: 'Remove {{name}}? Its secret is deleted from the keychain.',
    removeConfirmYes: 'Remove',
    cancel: 'Cancel',
    sandbox: 'Sandbox',
    secretSaved: 'Secret saved in the keychain',
    secretMissing: 'No secret saved',
    keychain: {
      keychain: 'Secrets are kept in the OS keychain.',
      safeStorage: 'Secrets are encrypted with Electron safeStorage: {{reason}}',
      memory: 'Secrets are kept in memory only: {{reason}}',
      unavailable: 'Secrets cannot be saved: {{reason}}',
    },
  },
  accountForm: {
    headingNew: 'New account',
    headingEdit: 'Edit {{name}}',
    provider: 'Service',
    providers: {
      flipflop: 'FlipFlop',
      vchatcloud: 'VChatCloud',
    },
    name: 'Display name',
    baseUrl: 'API address',
    baseUrlHint: 'https:// (http:// only for this computer)',
    appApiKey: 'App API key',
    appApiSecret: 'App API secret',
    apiKey: 'API key',
    eventbusUrl: 'Event-bus address',
    moderatorUserId: 'Moderator app user ID',
    moderatorUserName: 'Moderator name',
    clientKey: 'Moderator client key',
    nickName: 'Moderator nickname',
    secretPlaceholderSaved: 'Saved in the keychain — type to replace',
    secretPlaceholderNew: 'Stored in the OS keychain, never shown again',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Account saved.',
    optional: 'optional',
  },
  errors: {
    generic: 'Something went wrong: {{message}}',
  },
};

export type Messages = typeof en;
