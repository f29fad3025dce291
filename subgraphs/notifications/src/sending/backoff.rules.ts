/**
 * The delay before retry `attempt` (1 after the first failure): exponential, `baseMs · 2^(attempt-1)` capped
 * at `maxMs`, with "equal jitter" (half fixed, half random), so that messages that failed together (a relay
 * down) do not all come back at the same moment, while each still waits at least half its step.
 */
export function retryDelayMs(attempt: number, options: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Whether a delivery that failed its `attempts`-th attempt is given up (dead-lettered). */
export const isExhausted = (attempts: number, maxAttempts: number): boolean => attempts >= maxAttempts;
