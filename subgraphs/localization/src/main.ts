// Runs the localization subgraph as its own process (compose.yaml; `node --import tsx subgraphs/localization/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readLocalizationConfig, startLocalizationService } from './service.js';

await runSubgraphProcess('localization', readLocalizationConfig, startLocalizationService);
