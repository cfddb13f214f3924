/**
 * The checks of `npm run package:check`, as pure functions: each takes what was read from the
 * packaged tree (or the config) and returns the problems it found, one line each, naming the
 * problem. An empty list means the check passed.
 */
import { isBuiltin } from 'node:module';

/** Paths every package must hold, as `@electron/asar` lists them. */
export const REQUIRED_ENTRIES = [
  '/package.json',
  '/out/main/index.js',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
] as const;

/** Top-level folders of the repository that are never shipped. */
const SOURCE_FOLDERS = ['src', 'test', 'tests', 'scripts', 'docs', 'seeds', 'spec'];

export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  homepage?: string;
  author?: string | { name?: string; email?: string };
  repository?: string | { type?: string; url?: string };
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * What `app.asar` holds: the required files; no sources, tests or source maps; no package that
 * is only a devDependency. `entries` as `@electron/asar` lists them (`/out/main/index.js`);
 * `shippedDependencies` are the names that some packaged package depends on, so a devDependency
 * that is also a runtime dependency's dependency is allowed.
 */
export function checkAsarEntries(
  entries: readonly string[],
  packageJson: PackageJson,
  shippedDependencies: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const present = new Set(entries);
  for (const required of REQUIRED_ENTRIES) {
    if (!present.has(required)) problems.push(`app.asar lacks ${required.slice(1)}`);
  }
  for (const folder of SOURCE_FOLDERS) {
    if (entries.some((entry) => entry === `/${folder}` || entry.startsWith(`/${folder}/`))) {
      problems.push(`app.asar holds the repository's ${folder}/ folder`);
    }
  }
  const maps = entries.filter((entry) => entry.endsWith('.map'));
  if (maps.length > 0) {
    problems.push(`app.asar holds ${maps.length} source map(s), e.g. ${maps[0]?.slice(1)}`);
  }
  const outside = ['node_modules', ...SOURCE_FOLDERS].map((folder) => `/${folder}/`);
  const ownTests = entries.filter(
    (entry) =>
      !outside.some((folder) => entry.startsWith(folder)) &&
      /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry),
  );
  if (ownTests.length > 0)
    problems.push(`app.asar holds test files, e.g. ${ownTests[0]?.slice(1)}`);
  const runtime = new Set(Object.keys(packageJson.dependencies ?? {}));
  for (const name of Object.keys(packageJson.devDependencies ?? {})) {
    if (runtime.has(name) || shippedDependencies.has(name)) continue;
    if (present.has(`/node_modules/${name}`)) {
      problems.push(`app.asar holds the devDependency ${name}`);
    }
  }
  return problems;
}

/**
 * Every native module (`*.node`) sits in `app.asar.unpacked`, where the OS loader can open it.
 * `isUnpacked` answers from the asar header, `existsUnpacked` from the folder beside it.
 */
export function checkNativeModules(
  entries: readonly string[],
  isUnpacked: (entry: string) => boolean,
  existsUnpacked: (entry: string) => boolean,
): string[] {
  const problems: string[] = [];
  for (const entry of entries.filter((path) => path.endsWith('.node'))) {
    if (!isUnpacked(entry)) {
      problems.push(`the native module ${entry.slice(1)} is inside app.asar, not unpacked`);
    } else if (!existsUnpacked(entry)) {
      problems.push(`the native module ${entry.slice(1)} is missing from app.asar.unpacked`);
    }
  }
  return problems;
}

/** The package names a bundled ES module imports (static, side-effect and dynamic imports). */
export function importedPackages(source: string): Set<string> {
  const specifiers = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier === undefined || specifier.startsWith('.') || specifier.startsWith('/')) {
        continue;
      }
      if (isBuiltin(specifier)) continue;
      const parts = specifier.split('/');
      specifiers.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
    }
  }
  return specifiers;
}

/**
 * Every package the main bundle imports is inside the package (`electron` is the runtime's own).
 * `bundles` maps a file of `out/main` to its source; `isPackaged(name)` says whether
 * `node_modules/<name>` is in the package.
 */
export function checkMainImports(
  bundles: ReadonlyMap<string, string>,
  isPackaged: (name: string) => boolean,
  devDependencies: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const [file, source] of bundles) {
    for (const name of importedPackages(source)) {
      if (name === 'electron' || isPackaged(name)) continue;
      const kind = devDependencies.has(name) ? 'a devDependency, ' : '';
      problems.push(`${file} imports ${name}, ${kind}which is not in the package`);
    }
  }
  return problems;
}

/** The fuses the packaged binary must carry, by their `@electron/fuses` index. */
export const REQUIRED_FUSES: ReadonlyArray<{ index: number; name: string; on: boolean }> = [
  { index: 0, name: 'RunAsNode', on: false },
  { index: 2, name: 'EnableNodeOptionsEnvironmentVariable', on: false },
  { index: 3, name: 'EnableNodeCliInspectArguments', on: false },
  { index: 4, name: 'EnableEmbeddedAsarIntegrityValidation', on: true },
  { index: 5, name: 'OnlyLoadAppFromAsar', on: true },
];

const FUSE_ENABLED = 49; // '1'
const FUSE_DISABLED = 48; // '0'

/** The packaged binary's fuse wire (as `getCurrentFuseWire` reads it) against REQUIRED_FUSES. */
export function checkFuses(wire: Readonly<Partial<Record<number, number>>>): string[] {
  const problems: string[] = [];
  for (const fuse of REQUIRED_FUSES) {
    const state = wire[fuse.index];
    const wanted = fuse.on ? FUSE_ENABLED : FUSE_DISABLED;
    if (state !== wanted) {
      const actual = state === FUSE_ENABLED ? 'on' : state === FUSE_DISABLED ? 'off' : 'not set';
      problems.push(
        `the fuse ${fuse.name} is ${actual} in the packaged binary; it must be ${fuse.on ? 'on' : 'off'}`,
      );
    }
  }
  return problems;
}

/**
 * The deb's `depends` replaces electron-builder's list, so it must repeat every default and add
 * libsecret for keytar.
 */
export function checkDebDepends(
  depends: readonly string[] | undefined,
  defaults: readonly string[],
): string[] {
  if (depends === undefined) {
    return defaults.includes('libsecret-1-0')
      ? []
      : ["the deb does not depend on libsecret-1-0 (keytar's library)"];
  }
  const problems = defaults
    .filter((name) => !depends.includes(name))
    .map((name) => `the deb's depends leaves out electron-builder's default ${name}`);
  if (!depends.includes('libsecret-1-0')) {
    problems.push("the deb does not depend on libsecret-1-0 (keytar's library)");
  }
  return problems;
}

/** The lowest Node version a range such as `>=22.12.0` or `^20.19 || >=22.12` admits. */
export function lowestNode(range: string): [number, number, number] | null {
  const versions = [...range.matchAll(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)].map(
    (match) => [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] as const,
  );
  if (versions.length === 0) return null;
  const sorted = versions.map((v) => [...v] as [number, number, number]).sort(compareVersions);
  return sorted[0] ?? null;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * What the deb and the installers need from package.json (homepage, author with an e-mail for the
 * deb's maintainer field, repository), and `engines.node` no lower than what the given packages
 * declare (`declared`: package name → its `engines.node`).
 */
export function checkMetadata(
  packageJson: PackageJson,
  declared: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  if (!packageJson.homepage) problems.push('package.json has no homepage (the deb target stops)');
  const email = typeof packageJson.author === 'object' ? packageJson.author.email : undefined;
  const authorText = typeof packageJson.author === 'string' ? packageJson.author : '';
  if (!email && !/<[^>]+@[^>]+>/.test(authorText)) {
    problems.push("package.json's author has no e-mail (the deb's maintainer field wants one)");
  }
  if (!packageJson.repository) problems.push('package.json has no repository');
  const ours = packageJson.engines?.node ? lowestNode(packageJson.engines.node) : null;
  if (!ours) {
    problems.push('package.json declares no engines.node');
    return problems;
  }
  for (const [name, range] of declared) {
    const theirs = lowestNode(range);
    if (theirs && compareVersions(ours, theirs) < 0) {
      problems.push(
        `package.json's engines.node (${packageJson.engines?.node}) admits a Node older than ${name} declares (${range})`,
      );
    }
  }
  return problems;
}

/**
 * Native modules are rebuilt for Electron when packaging: with `npmRebuild: false` in the config,
 * the installed app would carry keytar built for Node, which Electron refuses to load. (Offline
 * checks turn it off on the command line instead.)
 */
export function checkRebuild(config: { npmRebuild?: unknown }): string[] {
  return config.npmRebuild === false
    ? [
        'electron-builder.yml sets npmRebuild: false, so the installed app would carry keytar built for Node',
      ]
    : [];
}

/** `npm start` and `npm run dev` build keytar for Electron before Electron starts. */
export function checkSourceStart(scripts: Readonly<Record<string, string>> = {}): string[] {
  return ['start', 'dev']
    .filter((name) => !(scripts[name] ?? '').includes('scripts/electronNative.ts'))
    .map(
      (name) =>
        `npm run ${name} does not run scripts/electronNative.ts first, so Electron would load keytar built for Node`,
    );
}
