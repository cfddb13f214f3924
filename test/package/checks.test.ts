import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  checkAsarEntries,
  checkDebDepends,
  checkFuses,
  checkMainImports,
  checkMetadata,
  checkNativeModules,
  checkRebuild,
  checkSourceStart,
  importedPackages,
  lowestNode,
  type PackageJson,
} from '../../scripts/packageCheck/checks';
import { checkConfig, defaultDebDepends, ROOT } from '../../scripts/packageCheck/run';
import { useTempDir } from '../support/tempDir';

const PACKAGE: PackageJson = {
  dependencies: { keytar: '^7.9.0', ws: '^8.0.0' },
  devDependencies: { react: '^19.0.0', vitest: '^4.0.0' },
};
const GOOD_ENTRIES = [
  '/package.json',
  '/out',
  '/out/main',
  '/out/main/index.js',
  '/out/preload',
  '/out/preload/index.cjs',
  '/out/renderer',
  '/out/renderer/index.html',
  '/node_modules',
  '/node_modules/keytar',
  '/node_modules/keytar/build/Release/keytar.node',
  '/node_modules/ws',
];

describe("app.asar's contents", () => {
  it('pass with the built files and the runtime packages', () => {
    expect(checkAsarEntries(GOOD_ENTRIES, PACKAGE)).toEqual([]);
  });

  it('fail when a built file is missing', () => {
    const entries = GOOD_ENTRIES.filter((entry) => entry !== '/out/preload/index.cjs');
    expect(checkAsarEntries(entries, PACKAGE)).toEqual(['app.asar lacks out/preload/index.cjs']);
  });

  it('fail on sources, tests and source maps', () => {
    const entries = [
      ...GOOD_ENTRIES,
      '/src/main/index.ts',
      '/test/unit/window.test.ts',
      '/out/main/index.js.map',
      '/out/main/ipc.test.js',
    ];
    expect(checkAsarEntries(entries, PACKAGE)).toEqual([
      "app.asar holds the repository's src/ folder",
      "app.asar holds the repository's test/ folder",
      'app.asar holds 1 source map(s), e.g. out/main/index.js.map',
      'app.asar holds test files, e.g. out/main/ipc.test.js',
    ]);
  });

  it('fail on a devDependency, unless a packaged package depends on it', () => {
    const entries = [...GOOD_ENTRIES, '/node_modules/react', '/node_modules/react/index.js'];
    expect(checkAsarEntries(entries, PACKAGE)).toEqual(['app.asar holds the devDependency react']);
    expect(checkAsarEntries(entries, PACKAGE, new Set(['react']))).toEqual([]);
  });
});

describe('native modules', () => {
  const entries = ['/node_modules/keytar/build/Release/keytar.node'];

  it('pass when unpacked and present beside the archive', () => {
    expect(
      checkNativeModules(
        entries,
        () => true,
        () => true,
      ),
    ).toEqual([]);
  });

  it('fail when inside the archive or missing from app.asar.unpacked', () => {
    expect(
      checkNativeModules(
        entries,
        () => false,
        () => true,
      ),
    ).toEqual([
      'the native module node_modules/keytar/build/Release/keytar.node is inside app.asar, not unpacked',
    ]);
    expect(
      checkNativeModules(
        entries,
        () => true,
        () => false,
      ),
    ).toEqual([
      'the native module node_modules/keytar/build/Release/keytar.node is missing from app.asar.unpacked',
    ]);
  });
});

describe("the main bundle's imports", () => {
  const bundle = [
    'import { createRequire } from "node:module";',
    'import { app, BrowserWindow } from "electron";',
    'import { join as join$1 } from "path";',
    'import WebSocket$1, { WebSocket } from "ws";',
    'import { Client } from "@stomp/stompjs";',
    'const keytar = await import("keytar");',
  ].join('\n');

  it('are read from static and dynamic imports, without built-ins', () => {
    expect([...importedPackages(bundle)].sort()).toEqual(
      ['@stomp/stompjs', 'electron', 'keytar', 'ws'].sort(),
    );
  });

  it('pass when every package is in the package', () => {
    const files = new Map([['out/main/index.js', bundle]]);
    expect(checkMainImports(files, () => true, new Set())).toEqual([]);
  });

  it('fail on a devDependency imported from main', () => {
    const files = new Map([['out/main/index.js', `${bundle}\nimport { create } from "zustand";`]]);
    const packaged = new Set(['ws', '@stomp/stompjs', 'keytar']);
    expect(checkMainImports(files, (name) => packaged.has(name), new Set(['zustand']))).toEqual([
      'out/main/index.js imports zustand, a devDependency, which is not in the package',
    ]);
  });
});

describe('fuses', () => {
  const wire = { 0: 48, 1: 49, 2: 48, 3: 48, 4: 49, 5: 49, 6: 48, 7: 48 };

  it('pass when flipped as configured', () => {
    expect(checkFuses(wire)).toEqual([]);
  });

  it('fail when a binary still runs as Node or loads an app outside the asar', () => {
    expect(checkFuses({ ...wire, 0: 49, 5: 48 })).toEqual([
      'the fuse RunAsNode is on in the packaged binary; it must be off',
      'the fuse OnlyLoadAppFromAsar is off in the packaged binary; it must be on',
    ]);
  });
});

describe("the deb's dependencies", () => {
  const defaults = ['libgtk-3-0', 'libnss3', 'libsecret-1-0'];

  it('pass with the defaults and libsecret', () => {
    expect(checkDebDepends(['libgtk-3-0', 'libnss3', 'libsecret-1-0'], defaults)).toEqual([]);
    expect(checkDebDepends(undefined, defaults)).toEqual([]);
  });

  it('fail when the list replaces the defaults with libsecret alone', () => {
    expect(checkDebDepends(['libsecret-1-0'], defaults)).toEqual([
      "the deb's depends leaves out electron-builder's default libgtk-3-0",
      "the deb's depends leaves out electron-builder's default libnss3",
    ]);
  });

  it('fail without libsecret', () => {
    expect(checkDebDepends(undefined, ['libgtk-3-0'])).toEqual([
      "the deb does not depend on libsecret-1-0 (keytar's library)",
    ]);
  });
});

describe('package metadata', () => {
  const complete: PackageJson = {
    homepage: 'https://moddeck.invalid/',
    author: { name: 'ModDeck contributors', email: 'maintainers@moddeck.invalid' },
    repository: 'github:moddeck/moddeck',
    engines: { node: '>=22.12.0' },
  };
  const electron = new Map([['electron', '>= 22.12.0']]);

  it('passes with a homepage, an author with an e-mail, a repository and engines high enough', () => {
    expect(checkMetadata(complete, electron)).toEqual([]);
    expect(checkMetadata({ ...complete, author: 'ModDeck <a@b.invalid>' }, electron)).toEqual([]);
  });

  it('fails without what the deb target needs', () => {
    expect(checkMetadata({ engines: complete.engines, author: 'ModDeck' }, electron)).toEqual([
      'package.json has no homepage (the deb target stops)',
      "package.json's author has no e-mail (the deb's maintainer field wants one)",
      'package.json has no repository',
    ]);
  });

  it('fails when engines admits a Node older than electron declares', () => {
    expect(checkMetadata({ ...complete, engines: { node: '>=20.19.0' } }, electron)).toEqual([
      "package.json's engines.node (>=20.19.0) admits a Node older than electron declares (>= 22.12.0)",
    ]);
  });

  it('reads the lowest version a range admits', () => {
    expect(lowestNode('>= 22.12.0')).toEqual([22, 12, 0]);
    expect(lowestNode('^20.19 || >=22.12')).toEqual([20, 19, 0]);
    expect(lowestNode('*')).toBeNull();
  });
});

describe('keytar built for Electron', () => {
  it('passes when packaging rebuilds native modules', () => {
    expect(checkRebuild({})).toEqual([]);
    expect(checkRebuild({ npmRebuild: true })).toEqual([]);
  });

  it('fails when the config turns the rebuild off', () => {
    expect(checkRebuild({ npmRebuild: false })).toEqual([
      'electron-builder.yml sets npmRebuild: false, so the installed app would carry keytar built for Node',
    ]);
  });

  it('fails when npm start runs Electron without building keytar for it first', () => {
    const scripts = {
      start: 'electron-vite preview',
      dev: 'tsx scripts/electronNative.ts && electron-vite dev',
    };
    expect(checkSourceStart(scripts)).toEqual([
      'npm run start does not run scripts/electronNative.ts first, so Electron would load keytar built for Node',
    ]);
  });
});

describe("this repository's config", () => {
  it('passes the config checks', async () => {
    expect(await checkConfig(ROOT)).toEqual([]);
  });

  it("is compared with the installed electron-builder's own deb list", () => {
    expect(defaultDebDepends()).toContain('libgtk-3-0');
  });
});

describe('the config as it was before packaging was checked', () => {
  it('fails on every defect it had', async () => {
    const project = await useTempDir();
    await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete packageJson['homepage'];
    delete packageJson['author'];
    delete packageJson['repository'];
    packageJson['engines'] = { node: '>=20.19.0' };
    packageJson['scripts'] = { start: 'electron-vite preview', dev: 'electron-vite dev' };
    await writeFile(join(project, 'package.json'), JSON.stringify(packageJson));
    const config = yaml.load(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
      deb: { depends: string[] };
    };
    config.deb.depends = ['libsecret-1-0'];
    await writeFile(
      join(project, 'electron-builder.yml'),
      yaml.dump({ ...config, npmRebuild: false }),
    );

    const problems = await checkConfig(project);
    expect(problems).toEqual(
      expect.arrayContaining([
        'package.json has no homepage (the deb target stops)',
        "package.json's author has no e-mail (the deb's maintainer field wants one)",
        'package.json has no repository',
        "package.json's engines.node (>=20.19.0) admits a Node older than electron declares (>= 22.12.0)",
        "the deb's depends leaves out electron-builder's default libgtk-3-0",
        'electron-builder.yml sets npmRebuild: false, so the installed app would carry keytar built for Node',
        'npm run start does not run scripts/electronNative.ts first, so Electron would load keytar built for Node',
      ]),
    );
  });
});
