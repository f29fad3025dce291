// Preloaded by `pnpm soak` into every process it starts (with --expose-gc): a full collection every
// second, so the heap /metrics reports is what is still reachable, not wherever V8 chose to stop
// collecting. A leak shows as growth of that; caches filling to their bound show as a plateau.
globalThis.setInterval(() => globalThis.gc?.(), 1_000).unref();
