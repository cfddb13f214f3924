import type { Notice, Notifier } from '../../src/main/services/notifications';

/** Keeps every notice shown, so a test can read them and click one. */
export class RecordingNotifier implements Notifier {
  readonly shown: Notice[] = [];

  show(notice: Notice): void {
    this.shown.push(notice);
  }
}
