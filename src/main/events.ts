/** The stream of events main pushes to the window, typed by the contract. */
import type { EventName, EventPayload } from '../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventBusOptions {
  /** Rewrites a payload before any listener sees it (the core redacts it here). */
  prepare?: <E extends EventName>(event: E, payload: EventPayload<E>) => EventPayload<E>;
  /** Told when a listener threw and nothing could be given to it instead. */
  failed?: (event: EventName, error: unknown) => void;
}

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly options: EventBusOptions = {}) {}

  /**
   * Gives the event to every listener. One that throws does not stop the others, and what it
   * throws never reaches the caller (often a timer or a socket callback, where it would end the
   * process). `salvage` makes what to give a listener that threw instead: it is asked once, and
   * its answer goes only to the listeners that threw.
   */
  emit<E extends EventName>(
    event: E,
    payload: EventPayload<E>,
    salvage?: (payload: EventPayload<E>) => EventPayload<E>,
  ): void {
    const prepared = this.prepare(event, payload);
    let salvaged: EventPayload<E> | undefined;
    for (const listener of this.listeners) {
      try {
        listener(event, prepared);
      } catch (error) {
        if (salvage === undefined) {
          this.options.failed?.(event, error);
          continue;
        }
        try {
          salvaged ??= this.prepare(event, salvage(payload));
          listener(event, salvaged);
        } catch (again) {
          this.options.failed?.(event, again);
        }
      }
    }
  }

  /** Returns a function that removes the listener. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prepare<E extends EventName>(event: E, payload: EventPayload<E>): EventPayload<E> {
    return this.options.prepare ? this.options.prepare(event, payload) : payload;
  }
}
