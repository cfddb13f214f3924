import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, vi } from 'vitest';

// The dom project shares one jsdom and one module cache between the files a worker runs
// (`isolate: false` in vitest.config.ts). Each file still imports the app's modules afresh, so its
// stores and module state (shown lists, the list scheduler, toast ids) start as in a fresh page;
// libraries in node_modules (React, i18next, testing-library) stay loaded.
vi.resetModules();

// The longest a `waitFor`/`findBy` may wait before it fails, not how long it waits: with every
// test project running at once on two cores, a deck's first render can take over the default 1 s.
configure({ asyncUtilTimeout: 3_000 });

const root = document.documentElement;
const rootAttributes = new Map(
  Array.from(root.attributes, (attribute) => [attribute.name, attribute.value]),
);
const head = document.head.innerHTML;

afterEach(() => {
  cleanup();
  delete window.moderator;
});

// What a file changed on the shared document (the theme, the language, leftovers) goes with it.
afterAll(() => {
  for (const attribute of Array.from(root.attributes)) {
    if (!rootAttributes.has(attribute.name)) root.removeAttribute(attribute.name);
  }
  for (const [name, value] of rootAttributes) root.setAttribute(name, value);
  document.head.innerHTML = head;
  document.body.innerHTML = '';
  vi.useRealTimers();
  vi.restoreAllMocks();
});
