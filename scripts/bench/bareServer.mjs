#!/usr/bin/env node
// The bare comparison for the API benchmark: Node's http and pg, no Backstage
// (no auth, permissions, validation, security headers or logging), answering
// GET /api/ml-registry/models/:accountId/:groupName/versions as the plugin
// does (scripts/bench/bareVersions.mjs).
// Usage: node bareServer.mjs <port> <database>
import http from 'node:http';
import { VERSIONS_ROUTE, bareVersions } from './bareVersions.mjs';

const [port, database] = process.argv.slice(2);
const versions = bareVersions(database);
const BASE = '/api/ml-registry';

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const match =
      url.pathname.startsWith(BASE) &&
      url.pathname.slice(BASE.length).match(VERSIONS_ROUTE);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = JSON.stringify(
        await versions(
          decodeURIComponent(match[1]),
          decodeURIComponent(match[2]),
          url.searchParams,
        ),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  })
  .listen(Number(port), '127.0.0.1');
