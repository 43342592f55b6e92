import type { EmulatorHub } from '../../emulator/src/hub';

/** A live count of the SDK's `POST /admin` calls the backend served, by action. */
export interface SdkCallCounter {
  /** Calls since the last reset. */
  total(): number;
  /** Calls since the last reset, by wire action (e.g. `database.getDocument`). */
  byAction(): Record<string, number>;
  reset(): void;
  /** Puts the router back as it was. */
  stop(): void;
}

/**
 * Counts every `POST /admin` request (each one is a real SDK round trip) by wrapping the hub's
 * admin router. Until invocation records carry `sdkCalls`, tests measure round trips with this;
 * run the measured call alone (no timers) so every counted call is its own.
 */
export function countSdkCalls(hub: EmulatorHub): SdkCallCounter {
  const router = hub.admin;
  const original = router.dispatch.bind(router);
  let counts: Record<string, number> = {};
  router.dispatch = (request) => {
    const action = String(request.params.action ?? '');
    counts[action] = (counts[action] ?? 0) + 1;
    return original(request);
  };
  return {
    total: () => Object.values(counts).reduce((s, n) => s + n, 0),
    byAction: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    stop: () => {
      router.dispatch = original;
    },
  };
}
