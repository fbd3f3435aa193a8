// Registry changes that running code must follow (the deployment router hot-swaps when `champion` moves). Emitted by
// the service functions after their change has committed, so listeners reading the store see it (inside a caller's
// transaction they cannot know the commit: the event then comes when the function returns). In-process only:
// other instances on the same PostgreSQL learn of changes by polling. A listener that throws is logged by nobody and
// must not break the write that triggered it, so errors are swallowed here.

export type RegistryEvent =
  /** `version` null: the alias was removed (explicitly, or with its version) */
  | { type: 'alias-changed'; name: string; alias: string; version: number | null; previousVersion: number | null }
  | { type: 'version-deleted'; name: string; version: number; /** aliases that pointed at it, now gone */ aliases: string[] }
  | { type: 'model-renamed'; name: string; newName: string }
  | { type: 'model-deleted'; name: string };

export type RegistryEventType = RegistryEvent['type'];
type Listener<T extends RegistryEventType> = (event: Extract<RegistryEvent, { type: T }>) => void;

export class RegistryEvents {
  readonly #listeners = new Map<RegistryEventType | '*', Set<(event: RegistryEvent) => void>>();

  /** Calls `listener` for each event of `type` ('*': every event); returns the unsubscribe function. */
  on<T extends RegistryEventType>(type: T, listener: Listener<T>): () => void;
  on(type: '*', listener: (event: RegistryEvent) => void): () => void;
  on(type: RegistryEventType | '*', listener: (event: never) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    const fn = listener as (event: RegistryEvent) => void;
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  emit(event: RegistryEvent): void {
    for (const key of [event.type, '*'] as const) {
      for (const fn of this.#listeners.get(key) ?? []) {
        try {
          fn(event);
        } catch {
          // see the header: a listener's failure is its own
        }
      }
    }
  }
}

/** The process-wide emitter every registry service function reports to. */
export const registryEvents = new RegistryEvents();
