// The API benchmark's middle column: a Backstage backend with one plugin of one
// route, answering the listing as the bare server does (bareVersions.mjs: the
// same SQL on node-postgres, the same JSON) but through Backstage's HTTP stack:
// the root router's middleware (helmet, cors, compression, request logging,
// rate limit), the plugin router's (auth, credentials barrier, lifecycle) and
// Express's res.json. What it costs over the bare server is the framework's;
// what the ml-registry plugin costs over it is the plugin's own.
// Usage: node minimalBackend.cjs <plugin dir> <database> --config <file>
'use strict';

const path = require('node:path');
const Module = require('node:module');

const [pluginDir, database] = process.argv.splice(2, 2);
const fromPlugin = Module.createRequire(
  path.join(path.resolve(pluginDir), 'package.json'),
);
const { createBackend } = fromPlugin('@backstage/backend-defaults');
const { coreServices, createBackendPlugin } = fromPlugin(
  '@backstage/backend-plugin-api',
);
const express = fromPlugin('express');

const minimal = createBackendPlugin({
  pluginId: 'ml-registry',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const { bareVersions } = await import('./bareVersions.mjs');
        const versions = bareVersions(database);
        const router = express.Router();
        router.get('/models/:accountId/:groupName/versions', (req, res, next) =>
          versions(
            req.params.accountId,
            req.params.groupName,
            new URLSearchParams(req.originalUrl.split('?')[1] ?? ''),
          ).then(body => res.json(body), next),
        );
        httpRouter.use(router);
      },
    });
  },
});

const backend = createBackend();
backend.add(minimal);
backend.start();
