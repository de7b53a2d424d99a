import { createBackend } from '@backstage/backend-defaults';

// `yarn start` in this package: the ML registry alone, for development and for
// the ingest benchmark's --dev mode (scripts/bench-ingest.mjs; its production
// mode runs the built plugin through scripts/bench/backend.cjs). Every request is allowed.
const backend = createBackend();
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('../src'));
backend.start();
