import type { CheckoutStep, FaultPoint } from './checkout.model.js';

/**
 * The kill tests' fault (ORDERS_FAULT_STEP, honoured only with NODE_ENV=test, config.ts): at `step` the
 * process ends as abruptly as a crash or an OOM kill would end it (SIGKILL: no handler, no shutdown, no
 * flush), so the test sees what a real crash leaves behind.
 */
export function killAt(step: CheckoutStep | undefined): FaultPoint | undefined {
  if (step === undefined) return undefined;
  return async (at) => {
    if (at !== step) return;
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  };
}
