#!/usr/bin/env node
// The API load: `connections` clients listing random models' versions (random
// sort and order) for `seconds`; latency percentiles from every response, a
// failed one counted as infinitely slow. Run as its own process, so that it
// can be pinned to a CPU apart from the server it loads.
// Usage: node load.mjs <baseUrl> <accounts> <groups> <firstAccountId> <connections> <seconds>
import autocannon from 'autocannon';

const [url, accounts, groups, firstId, connections, seconds] =
  process.argv.slice(2);
const sorts = ['version', 'createdAt', 'lastModifiedAt'];
const pick = n => Math.floor(Math.random() * n);
const randomPath = () => {
  const a = pick(Number(accounts));
  const g = pick(Number(groups));
  return `/api/ml-registry/models/${
    Number(firstId) + a
  }/model-${a}-${g}/versions?limit=50&sort=${sorts[pick(sorts.length)]}&order=${
    Math.random() < 0.5 ? 'asc' : 'desc'
  }`;
};

const times = [];
const instance = autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [{ setupRequest: req => ({ ...req, path: randomPath() }) }],
});
instance.on('response', (_client, status, _bytes, ms) =>
  times.push(status === 200 ? ms : Infinity),
);
const result = await instance;
times.sort((x, y) => x - y);
const at = q =>
  Number(
    times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1),
  );
console.log(
  JSON.stringify({
    requests: times.length,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSecond: Math.round(times.length / Number(seconds)),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
  }),
);
