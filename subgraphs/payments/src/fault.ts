import type { PaymentsFaultStep } from './config.js';

/**
 * The crash test's fault (PAYMENTS_FAULT_STEP, honoured only with NODE_ENV=test, config.ts): at `step` the
 * process ends as abruptly as a crash would end it (SIGKILL: no handler, no shutdown, no flush).
 */
export function killAt(step: PaymentsFaultStep | undefined): ((at: PaymentsFaultStep) => Promise<void>) | undefined {
  if (step === undefined) return undefined;
  return async (at) => {
    if (at !== step) return;
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  };
}
