import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// The longest a `waitFor`/`findBy` may wait before it fails, not how long it waits: with every
// test project running at once on two cores, a deck's first render can take over the default 1 s.
configure({ asyncUtilTimeout: 3_000 });

afterEach(() => {
  cleanup();
  delete window.moderator;
});
