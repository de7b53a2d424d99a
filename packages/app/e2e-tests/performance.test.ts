import { expect, Locator, Page, test } from '@playwright/test';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { signInAs } from './signInAs';
import { reloadUntilVisible } from './reloadUntilVisible';

/**
 * Measures, in the real app in Chromium, what the issue sets goals for: the
 * versions table with 10,000 versions of one model (200 ms per interaction)
 * and a lineage graph of 2,000 nodes (1 s). Figures are printed and written to
 * test-results/performance.json for the README; the test asserts behaviour,
 * not times (a loaded CI machine must not turn a measurement into a failure).
 */
const GROUP = 'perf-10000-versions';
const MODEL = `/catalog/default/resource/fraud-dev--${GROUP}/model`;
const VERSIONS = 10_000;
/** Chains of data, run, dev package, central package, endpoint: five nodes each. */
const CHAINS = 400;
const NODES = CHAINS * 5;
const results: Record<string, number | number[]> = {};
/**
 * The CPU time the page's renderer process spent in each interaction, in ms:
 * what the page itself costs, which a machine shared with other work does
 * not stretch as it does the wall time.
 */
const rendererCpu: Record<string, number> = {};
/**
 * With PERF_PROFILE set, each measured interaction's CPU profile is written to
 * test-results/profiles/ (open one in Chrome DevTools' Performance panel; the
 * app's source maps name its functions). Sampling slows the page: times taken
 * with it are for finding where time goes, not for comparing with the goals.
 */
const PROFILE = !!process.env.PERF_PROFILE;

// What users get: the production build, as the backend serves it (scripts/test.sh
// builds every package before the browser tests), not the development server.
test.use({ baseURL: 'http://localhost:7007' });

/** Registers 10,000 versions in fraud-dev, as a long-lived team's busiest group might hold. */
async function seedVersions() {
  const sagemaker = new SageMakerClient({
    endpoint: 'http://127.0.0.1:4566',
    region: 'us-east-1',
    credentials: { accessKeyId: '222222222222', secretAccessKey: 'sandbox' },
  });
  try {
    await sagemaker.send(
      new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }),
    );
  } catch (e: any) {
    if (!/exist/i.test(e.message)) throw e;
    return; // a reused sandbox already has them
  }
  for (let start = 1; start <= VERSIONS; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, VERSIONS - start + 1) }, (_, i) =>
        sagemaker.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: GROUP,
            // Never Approved: an approval would start a promotion.
            ModelApprovalStatus:
              (start + i) % 3 === 0 ? 'Rejected' : 'PendingManualApproval',
            CustomerMetadataProperties: {
              auc: (0.8 + ((start + i) % 19) / 100).toFixed(2),
              accuracy: (0.85 + ((start + i) % 13) / 100).toFixed(2),
            },
          }),
        ),
      ),
    );
  }
}

/** What the page shows once an interaction is done. */
type Done =
  | { firstVersion: number }
  | { rows: number }
  | { lineageNodes: number };

/**
 * Clicks `target` and returns the milliseconds from the user's input event (its
 * timeStamp, so Playwright's own overhead is left out) until the page shows
 * what `done` says, checked on every DOM change.
 */
async function timeInteraction(
  page: Page,
  target: Locator,
  done: Done,
  name: string,
): Promise<number> {
  // Found before timing: Playwright's role queries run on the page's main thread too.
  const element = (await target.elementHandle())!;
  const cdp = await page.context().newCDPSession(page);
  const browserCdp = await page.context().browser()!.newBrowserCDPSession();
  const cpuMs = async () => {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    return processInfo
      .filter(p => p.type === 'renderer')
      .reduce((sum, p) => sum + p.cpuTime * 1000, 0);
  };
  if (PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.evaluate(expected => {
    const w = window as any;
    w.__inputAt = undefined;
    const record = (e: Event) => {
      w.__inputAt ??= e.timeStamp;
    };
    for (const type of ['pointerdown', 'keydown'])
      document.addEventListener(type, record, { capture: true, once: true });
    const holds = () => {
      if ('firstVersion' in expected)
        return (
          document.querySelector('table tbody tr td')?.textContent ===
          String(expected.firstVersion)
        );
      if ('rows' in expected)
        return (
          document.querySelectorAll('table tbody tr').length === expected.rows
        );
      return (
        document.querySelectorAll('[data-testid=lineage-node]').length ===
        expected.lineageNodes
      );
    };
    w.__measured = new Promise<number>(resolve => {
      const observer = new MutationObserver(() => {
        if (w.__inputAt !== undefined && holds()) {
          observer.disconnect();
          resolve(performance.now() - w.__inputAt);
        }
      });
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
  }, done);
  const cpuBefore = await cpuMs();
  await element.click();
  const ms: number = await page.evaluate(() => (window as any).__measured);
  rendererCpu[name] = Math.round((await cpuMs()) - cpuBefore);
  await browserCdp.detach();
  if (PROFILE) {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync('test-results/profiles', { recursive: true });
    writeFileSync(
      `test-results/profiles/${name.replace(/\W+/g, '-')}.cpuprofile`,
      JSON.stringify(profile),
    );
  }
  await cdp.detach();
  return ms;
}

const firstVersion = (v: number): Done => ({ firstVersion: v });

test('the versions table with 10,000 versions and a 2,000-node lineage graph, measured in the browser', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await seedVersions();
  await signInAs(page, 'leo.lead');

  // The registration events bring the group into the store and the catalog.
  await reloadUntilVisible(
    page,
    MODEL,
    page.getByText(`1-20 of ${VERSIONS}`).filter({ visible: true }),
    600_000,
  );

  // Timed while the backend still digests the registrations' 10,000 events, as
  // a page opened right after a burst of registrations is. Waiting for the
  // queue to drain is out of reach: the backend deleted 43 batches of at most
  // 10 messages in its first 90 s (2026-12-04, each event awaits a coalesced
  // sync of the account), over half an hour for all of them.
  const interactions: number[] = [];
  const measure = async (name: string, target: Locator, done: Done) => {
    const ms = await timeInteraction(page, target, done, name);
    interactions.push(ms);
    results[name] = Math.round(ms);
  };
  await measure(
    'table: next page',
    page.getByRole('button', { name: 'Next Page' }),
    firstVersion(VERSIONS - 20),
  );
  await measure(
    'table: last page',
    page.getByRole('button', { name: 'Last Page' }),
    firstVersion(20),
  );
  await measure(
    'table: first page',
    page.getByRole('button', { name: 'First Page' }),
    firstVersion(VERSIONS),
  );
  await measure(
    'table: sort by version, ascending',
    page.locator('.MuiTableSortLabel-root', { hasText: 'Version' }),
    firstVersion(1),
  );
  await page.getByRole('button', { name: /rows/ }).click();
  await measure(
    'table: 100 rows a page',
    page.getByRole('option', { name: '100' }),
    { rows: 100 },
  );
  await measure(
    'table: next page of 100',
    page.getByRole('button', { name: 'Next Page' }),
    firstVersion(101),
  );
  await expect(
    page.getByText(`101-200 of ${VERSIONS}`).filter({ visible: true }),
  ).toBeVisible();
  results['table: slowest interaction'] = Math.round(Math.max(...interactions));

  // A lineage of 2,000 nodes: the real version details with a synthetic graph of
  // 400 chains (data, run, dev package, central package, endpoint), since no
  // single version in the sandbox has that many relatives.
  await page.route('**/api/ml-registry/versions/by-arn?*', async route => {
    const asked = Date.now();
    const response = await route.fetch();
    const details = await response.json();
    // The backend's own share of the details response (the rest is this interception and the browser).
    results['lineage: backend answered the details'] = Date.now() - asked;
    const kinds = [
      'data',
      'pipeline-run',
      'dev-package',
      'central-package',
      'endpoint',
    ] as const;
    const nodes = Array.from({ length: CHAINS }, (_, c) =>
      kinds.map((kind, k) => ({
        id: `${c}-${k}`,
        kind,
        label: `${kind} ${c}`,
        detail: `chain ${c}`,
        entityRef: `resource:default/node-${c}-${k}`,
        consoleUrl: 'https://console.aws.amazon.com/',
      })),
    ).flat();
    const edges = Array.from({ length: CHAINS }, (_, c) =>
      [1, 2, 3, 4].map(k => ({ from: `${c}-${k - 1}`, to: `${c}-${k}` })),
    ).flat();
    await route.fulfill({
      response,
      json: { ...details, lineage: { nodes, edges } },
    });
  });
  // The browser keeps 250 resource timings and drops later ones: make room for the one read below.
  await page.evaluate(() => performance.clearResourceTimings());
  results[`lineage: render ${NODES} nodes`] = Math.round(
    await timeInteraction(
      page,
      page.getByRole('row', { name: /^101 / }),
      { lineageNodes: NODES },
      'lineage',
    ),
  );
  // How much of that was the API (the backend and this test's interception), and so how much the browser's rendering.
  const { requested, responded } = await page.evaluate(() => {
    const entry = performance
      .getEntriesByType('resource')
      .filter(e => e.name.includes('/versions/by-arn'))
      .pop() as PerformanceResourceTiming | undefined;
    if (!entry)
      throw new Error('no resource timing of the version details request');
    const inputAt = (window as any).__inputAt;
    return {
      requested: entry.startTime - inputAt,
      responded: entry.responseEnd - inputAt,
    };
  });
  results['lineage: details requested'] = Math.round(requested);
  results['lineage: details response received'] = Math.round(responded);
  results['lineage: rendering after the response'] =
    (results[`lineage: render ${NODES} nodes`] as number) -
    Math.round(responded);
  // Until the layout settles: no node moves for a second after the last move.
  // Counted from when all nodes were drawn: a layout that moves nothing after
  // drawing is laid out then, not when this check happens to start.
  results[`lineage: ${NODES} nodes laid out`] = Math.round(
    await page.evaluate(
      drawnAfter =>
        new Promise<number>(resolve => {
          const start = (window as any).__inputAt as number;
          let last = start + drawnAfter;
          const observer = new MutationObserver(() => {
            last = performance.now();
          });
          observer.observe(
            document.querySelector('[aria-label="Lineage graph"]')!,
            { subtree: true, attributeFilter: ['transform'] },
          );
          const poll = setInterval(() => {
            if (performance.now() - last > 1000) {
              clearInterval(poll);
              observer.disconnect();
              resolve(last - start);
            }
          }, 50);
        }),
      results[`lineage: render ${NODES} nodes`] as number,
    ),
  );
  await expect(page.getByTestId('lineage-node')).toHaveCount(NODES);
  await page.screenshot({
    path: `test-results/screenshots/lineage-${NODES}-nodes.png`,
  });

  const figures = { ...results, 'renderer CPU (ms)': rendererCpu };
  process.stdout.write(
    `Browser measurements (ms): ${JSON.stringify(figures, null, 2)}\n`,
  );
  mkdirSync('test-results', { recursive: true });
  writeFileSync(
    'test-results/performance.json',
    `${JSON.stringify(figures, null, 2)}\n`,
  );
});
