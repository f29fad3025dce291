/** The environment that keeps @apollo/gateway from collecting and sending data, for processes that build a gateway. */
export const APOLLO_TELEMETRY_OFF_ENV = { APOLLO_TELEMETRY_DISABLED: 'true' } as const;

/** Call right before `new ApolloGateway`: the gateway reads the switch in its constructor. */
export function disableApolloTelemetry(): void {
  // Otherwise @apollo/gateway probes cloud metadata endpoints and exports usage metrics to Apollo (README "Outgoing connections").
  process.env.APOLLO_TELEMETRY_DISABLED = APOLLO_TELEMETRY_OFF_ENV.APOLLO_TELEMETRY_DISABLED;
}
