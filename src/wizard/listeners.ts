// The subscribe/notify half of the wizard's two stores (the local runner and --remote's), which
// React's useSyncExternalStore reads through `subscribe`.

export interface Listeners {
  subscribe(listener: () => void): () => void;
  /** Calls every listener subscribed now (one that unsubscribes meanwhile still hears this one). */
  notify(): void;
}

export function createListeners(): Listeners {
  const set = new Set<() => void>();
  return {
    subscribe(l) {
      set.add(l);
      return () => set.delete(l);
    },
    notify() {
      for (const l of [...set]) l();
    },
  };
}
