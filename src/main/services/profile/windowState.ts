/** Remembers the window's bounds in `window-state.json`, written at most twice a second. */
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { readJsonFile, writeJsonFile } from '../jsonFile';

const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
});
export type Bounds = z.infer<typeof Bounds>;

export class WindowStateStore {
  private pending: Bounds | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    private readonly delayMs = 500,
  ) {}

  static inFolder(userDataDir: string, log: Logger): WindowStateStore {
    return new WindowStateStore(join(userDataDir, 'window-state.json'), log);
  }

  async load(): Promise<Bounds | null> {
    const file = await readJsonFile(this.path).catch(() => null);
    if (!file || file.kind !== 'ok') return null;
    const parsed = Bounds.safeParse(file.value);
    return parsed.success ? parsed.data : null;
  }

  save(bounds: Bounds): void {
    this.pending = bounds;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const bounds = this.pending;
    this.pending = null;
    if (!bounds) return;
    // Losing the window position is not worth interrupting the moderator for; log it.
    await writeJsonFile(this.path, bounds).catch((error: unknown) =>
      this.log.warn('window bounds not saved', { error: String(error) }),
    );
  }
}
