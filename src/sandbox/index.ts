/** The local emulator of both chat providers. Filled in by the sandbox work. */
export {};
