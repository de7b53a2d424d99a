import { createBackend } from '@backstage/backend-defaults';

// `yarn start` in this package: the ML registry alone, for development and for
// the ingest benchmark (scripts/bench-ingest.mjs). Every request is allowed.
const backend = createBackend();
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('../src'));
backend.start();
