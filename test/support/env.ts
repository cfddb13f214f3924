/**
 * Tests that need a real part of the machine (a Secret Service, Chromium) skip with a one-line
 * reason when it is missing, except under MODDECK_REQUIRE_ALL=1 (CI), where they run and fail.
 */
export const requireAll = process.env['MODDECK_REQUIRE_ALL'] === '1';

/** True when the suite should run: the part is there, or CI insists on it. */
export function shouldRun(part: string, problem: string | null): boolean {
  if (problem === null) return true;
  if (requireAll) return true;
  process.stderr.write(`[skip] ${part}: ${problem}\n`);
  return false;
}
