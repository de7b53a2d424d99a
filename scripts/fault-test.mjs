#!/usr/bin/env node
// Drives one new model version from registration to prod on the AWS sandbox and
// the real backend (on PostgreSQL), killing each with SIGKILL at the worst
// moments, taking an account down and poisoning the event paths, and checks
// that everything converges within a bound with nothing lost or duplicated.
// Ports 4599 (sandbox) and 7099 (backend), so it runs beside the other tests.
// Prints a table and writes it to test-results/fault-test.json. FAULT_KEEP_DB=1
// keeps its PostgreSQL database afterwards, to read what the backend stored.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  CreateModelPackageCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SANDBOX = 'http://127.0.0.1:4599';
const BACKEND = 'http://localhost:7099';
const REGION = 'us-east-1';
/** How long a fault may take to converge once the killed process is back. */
const BOUND_MS = 60_000;
const BACKEND_START_MS = 240_000;
const API_KEY = {
  'x-fault-test-key': 'fault-test-local-key-not-a-secret-0123456789',
};

const TOOLING = '999999999999';
const SHARED = '111111111111';
const DEV = '222222222222';
const PROD = '444444444444';
const DEV_GROUP = 'fraud-detection';
const PIPELINE = 'fraud-detection-deploy';
const APPROVAL_STAGE = 'GovernanceApproval';

const sleep = ms => new Promise(r => setTimeout(r, ms));
const seconds = ms => Number((ms / 1000).toFixed(1));
const log = message => console.log(`fault test: ${message}`);

const database = `ml_fault_${Date.now()}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-fault-'));
const stateFile = path.join(workDir, 'sandbox-state.json');
const rows = [];

// ---- processes ---------------------------------------------------------------

const running = new Map();

/** Starts a process in its own group, its output appended to a log file in workDir. */
function start(name, command, args, options) {
  const out = fs.openSync(path.join(workDir, `${name}.log`), 'a');
  const child = spawn(command, args, {
    ...options,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  running.set(name, child);
  child.on('exit', () => running.get(name) === child && running.delete(name));
  return child;
}

/** Kills a process group and waits until its leader is gone. */
async function kill(name, signal) {
  const child = running.get(name);
  if (!child) return;
  const gone = new Promise(r => child.once('exit', r));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return; // already gone
  }
  // A backend's graceful shutdown may outlast the wait: left running, it would answer the next run's checks.
  const exited = await Promise.race([gone.then(() => true), sleep(10_000)]);
  if (!exited) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await gone;
  }
  running.delete(name);
}

/**
 * Kills the sandbox with SIGKILL, as a service of AWS might fail. AWS loses
 * nothing it has reported, but the sandbox writes its state 50 ms after a
 * change (packages/aws-sandbox/src/core.ts): killed within those 50 ms of the
 * state the test just observed, it came back without it (a run at the manual
 * approval came back mid-DeployTest and failed), which AWS would never do.
 */
async function crashSandbox() {
  await sleep(150);
  await kill('sandbox', 'SIGKILL');
}

/** Refuses to start beside another run: its processes would answer this run's checks. */
async function assertPortsFree() {
  for (const url of [SANDBOX, BACKEND]) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (answered)
      throw new Error(
        `${url} already answers: another fault test (or a process left by one) holds its port`,
      );
  }
}

// Interrupted (Ctrl-C, CI cancelling): exit, so the handler below kills the process groups.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => process.exit(1));
process.on('exit', () => {
  for (const child of running.values()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function until(what, check, boundMs = BOUND_MS, everyMs = 250) {
  const deadline = Date.now() + boundMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `${what}: not within ${boundMs / 1000}s${
      last ? ` (last error: ${last.message})` : ''
    }`,
  );
}

async function startSandbox() {
  const started = Date.now();
  start(
    'sandbox',
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'src/main.ts',
      '--port',
      '4599',
      '--state-file',
      stateFile,
      '--step-ms',
      '500',
      '--check-responses',
    ],
    { cwd: path.join(root, 'packages/aws-sandbox') },
  );
  await until(
    'the sandbox to answer',
    () => fetch(`${SANDBOX}/_sandbox/health`).then(r => r.ok),
    60_000,
  );
  return Date.now() - started;
}

async function startBackend() {
  tokens.clear();
  const started = Date.now();
  // As `backstage-cli package start` runs it, without its file watcher: an edit elsewhere in the
  // working tree must not restart the backend behind the test's back.
  start(
    'backend',
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'src/index.ts',
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      path.join(root, 'scripts/fault-test.app-config.yaml'),
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        FAULT_TEST_DATABASE: database,
        AWS_ENDPOINT_URL_STS: SANDBOX,
        AWS_ACCESS_KEY_ID: TOOLING,
        AWS_SECRET_ACCESS_KEY: 'sandbox',
      },
    },
  );
  await until(
    'the backend to be ready',
    async () => {
      if (!running.has('backend'))
        throw new Error(`the backend exited; see ${workDir}/backend.log`);
      return (
        (await fetch(`${BACKEND}/.backstage/health/v1/readiness`)).status ===
        200
      );
    },
    BACKEND_START_MS,
    1000,
  );
  return Date.now() - started;
}

// ---- the backend's REST API and the sandbox's AWS APIs ------------------------

const tokens = new Map();
async function token(user) {
  if (!tokens.has(user)) {
    const res = await fetch(`${BACKEND}/api/auth/local-sign-in/refresh`, {
      headers: { 'x-local-sign-in-user': `user:default/${user}` },
    });
    tokens.set(user, (await res.json()).backstageIdentity.token);
  }
  return tokens.get(user);
}

async function api(user, method, apiPath, body) {
  const res = await fetch(`${BACKEND}${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${await token(user)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

async function gatesOf(arn) {
  const res = await api(
    'grace.governance',
    'GET',
    `/api/ml-registry/gates?arn=${encodeURIComponent(arn)}`,
  );
  if (res.status !== 200)
    throw new Error(
      `GET /gates answered ${res.status}: ${JSON.stringify(res.body)}`,
    );
  return {
    ...res.body,
    state: Object.fromEntries(res.body.gates.map(g => [g.gate, g.state])),
  };
}

async function decide(user, decision) {
  const res = await api(user, 'POST', '/api/ml-registry/gates/decisions', {
    decision: 'approve',
    ...decision,
  });
  if (res.status !== 200)
    throw new Error(
      `${user} deciding ${decision.gate}: ${res.status} ${JSON.stringify(
        res.body,
      )}`,
    );
  return res.body;
}

// Every account's keys are its id: the sandbox's long-term keys for each account's root user.
const aws = (Client, account) =>
  new Client({
    region: REGION,
    endpoint: SANDBOX,
    forcePathStyle: true,
    credentials: { accessKeyId: account, secretAccessKey: 'sandbox' },
  });
const devSageMaker = aws(SageMakerClient, DEV);
const sharedSageMaker = aws(SageMakerClient, SHARED);
const pipelines = aws(CodePipelineClient, SHARED);
const sqs = aws(SQSClient, TOOLING);

/** The central packages that are copies of the dev version, by the source ARN promotion writes. */
async function centralCopies(centralGroup, devArn) {
  const copies = [];
  let NextToken;
  do {
    const page = await sharedSageMaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: centralGroup,
        NextToken,
      }),
    );
    for (const summary of page.ModelPackageSummaryList ?? []) {
      const pkg = await sharedSageMaker.send(
        new DescribeModelPackageCommand({
          ModelPackageName: summary.ModelPackageArn,
        }),
      );
      if (
        pkg.CustomerMetadataProperties?.['source-model-package-arn'] === devArn
      )
        copies.push(pkg);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return copies;
}

const auditCount = (gates, action, gate) =>
  gates.audit.filter(
    e => e.action === action && e.gate === gate && e.result === 'ok',
  ).length;

/** The deploy pipeline's run started for this version (after `since`), with its stages. */
async function deployRun(since) {
  const { pipelineExecutionSummaries = [] } = await pipelines.send(
    new ListPipelineExecutionsCommand({ pipelineName: PIPELINE }),
  );
  const runs = pipelineExecutionSummaries.filter(s => s.startTime >= since);
  if (runs.length === 0) return undefined;
  const newest = runs.sort((a, b) => b.startTime - a.startTime)[0];
  const state = await pipelines.send(
    new GetPipelineStateCommand({ name: PIPELINE }),
  );
  const stages = Object.fromEntries(
    state.stageStates
      .filter(
        s =>
          s.latestExecution?.pipelineExecutionId === newest.pipelineExecutionId,
      )
      .map(s => [s.stageName, s.latestExecution.status]),
  );
  return {
    id: newest.pipelineExecutionId,
    status: newest.status,
    stages,
    runs: runs.length,
  };
}

function record(
  fault,
  step,
  convergedMs,
  { lost = 0, duplicated = 0, restartS, boundMs = BOUND_MS } = {},
) {
  rows.push({
    fault,
    step,
    convergedS: seconds(convergedMs),
    boundS: seconds(boundMs),
    lost,
    duplicated,
    ...(restartS !== undefined ? { restartS } : {}),
  });
  log(
    `${fault} (${step}): converged in ${seconds(
      convergedMs,
    )}s, lost ${lost}, duplicated ${duplicated}`,
  );
}

// ---- the run -------------------------------------------------------------------

async function main() {
  await assertPortsFree();
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    await run();
  } finally {
    await kill('backend', 'SIGTERM');
    await kill('sandbox', 'SIGTERM');
    if (!process.env.FAULT_KEEP_DB)
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function run() {
  await startSandbox();
  log(`backend ready in ${seconds(await startBackend())}s on ${database}`);
  await until('every ML account to sync', async () => {
    const { items = [] } =
      (await api('grace.governance', 'GET', '/api/ml-registry/accounts'))
        .body ?? {};
    return items.length > 0 && items.every(a => !a.stale);
  });

  // Poison on the queue first: it takes maxReceiveCount visibility timeouts to reach the
  // dead-letter queue, while the lifecycle below shows that valid events keep flowing.
  const { QueueUrl: queueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }),
  );
  const { QueueUrl: dlqUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: 'ml-registry-events-dlq' }),
  );
  const { Attributes: queue } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['All'],
    }),
  );
  const maxReceiveCount = JSON.parse(queue.RedrivePolicy).maxReceiveCount;
  const poison = `fault test poison ${database} {not json`;
  const poisonedAt = Date.now();
  await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: poison }),
  );

  // 1. A new dev version, registered as the team's pipeline registers it (v3's artifacts and metrics).
  const template = await devSageMaker.send(
    new DescribeModelPackageCommand({
      ModelPackageName: `arn:aws:sagemaker:${REGION}:${DEV}:model-package/${DEV_GROUP}/3`,
    }),
  );
  const { ModelPackageArn: devArn } = await devSageMaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: DEV_GROUP,
      ModelPackageDescription: template.ModelPackageDescription,
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: template.InferenceSpecification,
      ModelMetrics: template.ModelMetrics,
      CustomerMetadataProperties: template.CustomerMetadataProperties,
    }),
  );
  log(`registered ${devArn}`);
  await until(
    'the new version to reach the backend',
    async () => (await gatesOf(devArn)).state['dev-approval'] === 'pending',
  );

  // 5a. The HTTP ingress: no credentials, garbage and a forged approval change nothing.
  const ingress = (headers, body) =>
    fetch(`${BACKEND}/api/events/http/ml-registry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).then(r => r.status);
  const forged = JSON.stringify({
    account: DEV,
    region: REGION,
    source: 'aws.sagemaker',
    'detail-type': 'SageMaker Model Package State Change',
    resources: [devArn],
    detail: { ModelPackageArn: devArn, ModelApprovalStatus: 'Approved' },
  });
  const ingressAnswers = {
    unauthenticated: await ingress({}, forged),
    garbage: await ingress(API_KEY, '{not json'),
    unknownAccount: await ingress(
      API_KEY,
      forged.replaceAll(DEV, '210987654321'),
    ),
  };
  if (
    ingressAnswers.unauthenticated !== 401 ||
    ingressAnswers.garbage !== 400 ||
    ingressAnswers.unknownAccount !== 400
  ) {
    throw new Error(
      `the events ingress answered ${JSON.stringify(
        ingressAnswers,
      )}; expected 401, 400, 400`,
    );
  }
  // A well-formed event is only a hint to re-read SageMaker: a forged approval approves nothing.
  const hinted = await ingress(API_KEY, forged);
  if (hinted >= 300)
    throw new Error(`a well-formed event was refused with ${hinted}`);
  await sleep(3000);
  if ((await gatesOf(devArn)).state['dev-approval'] !== 'pending')
    throw new Error('a forged approval event approved the version');
  record(
    'ingress: unauthenticated, garbage, unknown account, forged approval',
    '5',
    0,
  );

  // 2. The lead approves; the backend dies right after; promotion must still happen exactly once.
  await decide('leo.lead', {
    arn: devArn,
    gate: 'dev-approval',
    reason: 'fault test: AUC holds on holdout',
  });
  await kill('backend', 'SIGKILL');
  const backendRestart = seconds(await startBackend());
  let back = Date.now();
  const promoted = await until(
    'promotion after the backend was killed',
    async () => {
      const gates = await gatesOf(devArn);
      if (gates.state.promotion !== 'done' || !gates.centralArn)
        throw new Error(`gates: ${JSON.stringify(gates.state)}`);
      return gates;
    },
  );
  const centralArn = promoted.centralArn;
  const centralGroup = centralArn.split('/')[1];
  const copies = await centralCopies(centralGroup, devArn);
  record('backend SIGKILL', '2 after dev approval', Date.now() - back, {
    lost: copies.length === 0 ? 1 : 0,
    duplicated:
      Math.max(0, copies.length - 1) +
      Math.max(0, auditCount(promoted, 'approve', 'dev-approval') - 1) +
      Math.max(0, auditCount(promoted, 'promote', 'promotion') - 1),
    restartS: backendRestart,
  });

  // 3. The ML engineer approves centrally; the sandbox dies mid-build and at the manual approval.
  const since = new Date(Date.now() - 1000);
  await decide('mo.engineer', {
    arn: centralArn,
    gate: 'central-approval',
    reason: 'fault test: central checks pass',
  });
  await until(
    'the deploy build to run',
    async () => (await deployRun(since))?.stages.Build === 'InProgress',
    BOUND_MS,
    50,
  );
  await crashSandbox();
  const midBuildRestart = seconds(await startSandbox());
  back = Date.now();
  let retried = false;
  const atApproval = await until(
    'the deploy to reach the manual approval or fail, then a retry to reach it',
    async () => {
      const deploy = await deployRun(since);
      if (deploy?.stages[APPROVAL_STAGE] === 'InProgress') return deploy;
      if (deploy?.status === 'Failed' && !retried) {
        const res = await api(
          'mo.engineer',
          'POST',
          '/api/ml-registry/gates/retries',
          { arn: centralArn },
        );
        if (res.status !== 200)
          throw new Error(
            `POST /gates/retries answered ${res.status}: ${JSON.stringify(
              res.body,
            )}`,
          );
        retried = true;
      }
      return undefined;
    },
  );
  const stuck = stage =>
    stage !== APPROVAL_STAGE && atApproval.stages[stage] === 'InProgress';
  record(
    'sandbox SIGKILL',
    `3 mid-build${retried ? ', then retried' : ''}`,
    Date.now() - back,
    {
      lost: Object.keys(atApproval.stages).filter(stuck).length,
      duplicated: Math.max(
        0,
        (await centralCopies(centralGroup, devArn)).length - 1,
      ),
      restartS: midBuildRestart,
    },
  );

  await crashSandbox();
  const approvalRestart = seconds(await startSandbox());
  back = Date.now();
  const waiting = await until(
    'the manual approval to wait again and Backstage to show it',
    async () => {
      const [deploy, gates] = await Promise.all([
        deployRun(since),
        gatesOf(centralArn),
      ]);
      return deploy?.stages[APPROVAL_STAGE] === 'InProgress' &&
        gates.state['governance-approval'] === 'pending'
        ? deploy
        : undefined;
    },
  );
  record('sandbox SIGKILL', '3 at the manual approval', Date.now() - back, {
    lost: waiting.id === atApproval.id ? 0 : 1,
    duplicated: Math.max(0, waiting.runs - atApproval.runs),
    restartS: approvalRestart,
  });

  // 4. The shared services account is unreachable: the API answers, at worst 503.
  await fetch(`${SANDBOX}/_sandbox/faults`, {
    method: 'PUT',
    body: JSON.stringify([{ account: SHARED, down: true }]),
  });
  const answers = [];
  const downUntil = Date.now() + 15_000;
  while (Date.now() < downUntil) {
    for (const [user, apiPath] of [
      [
        'grace.governance',
        `/api/ml-registry/gates?arn=${encodeURIComponent(centralArn)}`,
      ],
      ['leo.lead', `/api/ml-registry/gates?arn=${encodeURIComponent(devArn)}`],
      ['grace.governance', '/api/ml-registry/accounts'],
      ['mo.engineer', '/api/ml-registry/gates/retries'],
    ]) {
      const method = apiPath.endsWith('retries') ? 'POST' : 'GET';
      answers.push(
        (
          await api(
            user,
            method,
            apiPath,
            method === 'POST' ? { arn: centralArn } : undefined,
          )
        ).status,
      );
    }
    await sleep(1000);
  }
  const serverErrors = answers.filter(s => s >= 500 && s !== 503);
  if (serverErrors.length)
    throw new Error(
      `with ${SHARED} down the API answered ${serverErrors.join(', ')}`,
    );
  await fetch(`${SANDBOX}/_sandbox/faults`, { method: 'PUT', body: '[]' });
  back = Date.now();
  await until('the sync to converge after the account is back', async () => {
    const { items = [] } =
      (await api('grace.governance', 'GET', '/api/ml-registry/accounts'))
        .body ?? {};
    const gates = await gatesOf(centralArn);
    return (
      items.every(a => !a.stale) &&
      gates.state['governance-approval'] === 'pending'
    );
  });
  record(
    `account ${SHARED} down 15s (answers: ${[...new Set(answers)]
      .sort()
      .join(', ')})`,
    '4',
    Date.now() - back,
  );

  // 6. Governance approves; the pipeline deploys to prod.
  const decision = {
    arn: centralArn,
    gate: 'governance-approval',
    reason: 'fault test: evidence reviewed',
    accessReviewed: true,
  };
  const first = await api(
    'grace.governance',
    'POST',
    '/api/ml-registry/gates/decisions',
    { decision: 'approve', ...decision },
  );
  if (first.status === 409) {
    log(
      `the checklist does not hold (${first.body?.error?.message}); approving with a written override`,
    );
    await decide('grace.governance', {
      ...decision,
      override:
        'fault test: the checklist evidence was reviewed by hand for this run',
    });
  } else if (first.status !== 200) {
    throw new Error(
      `governance approval: ${first.status} ${JSON.stringify(first.body)}`,
    );
  }
  const approvedAt = Date.now();
  const done = await until('the prod deploy', async () => {
    const gates = await gatesOf(centralArn);
    return gates.state['prod-deploy'] === 'done' ? gates : undefined;
  });
  const prod = aws(SageMakerClient, PROD);
  const endpoint = await prod.send(
    new DescribeEndpointCommand({ EndpointName: `${centralGroup}-prod` }),
  );
  const { Tags = [] } = await prod.send(
    new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
  );
  const serving = Tags.find(
    t => t.Key === 'sagemaker:model-package-arn',
  )?.Value;
  if (endpoint.EndpointStatus !== 'InService' || serving !== centralArn) {
    throw new Error(
      `prod endpoint is ${endpoint.EndpointStatus} serving ${serving}, not InService serving ${centralArn}`,
    );
  }
  const differing = await differingArtifacts(devArn, centralArn);
  if (differing.length)
    throw new Error(
      `artifacts differ between dev and central: ${differing.join(', ')}`,
    );
  const decisions = [
    'dev-approval',
    'central-approval',
    'governance-approval',
  ].map(g => auditCount(done, 'approve', g));
  record(
    'none',
    '6 governance approval to prod InService',
    Date.now() - approvedAt,
    {
      lost: decisions.filter(n => n === 0).length,
      duplicated: decisions.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    },
  );

  // 5b. The poison reached the dead-letter queue after maxReceiveCount receives, and left the queue.
  const poisonBound =
    maxReceiveCount * Number(queue.VisibilityTimeout) * 1000 + BOUND_MS;
  await until(
    'the poison message in the dead-letter queue',
    async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
      return Messages.some(m => m.Body === poison);
    },
    Math.max(0, poisonBound - (Date.now() - poisonedAt)),
    2000,
  );
  record(
    `poison on the queue (dead after ${maxReceiveCount} receives)`,
    '5',
    Date.now() - poisonedAt,
    { boundMs: poisonBound },
  );
}

/** The S3 objects the dev version names that are not byte-identical to its central copy's. */
async function differingArtifacts(devArn, centralArn) {
  const uris = (value, at = '', found = {}) => {
    if (typeof value === 'string' && value.startsWith('s3://'))
      found[at] = value;
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) uris(v, `${at}/${k}`, found);
    return found;
  };
  const [dev, central] = await Promise.all([
    devSageMaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: devArn }),
    ),
    sharedSageMaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
    ),
  ]);
  const read = async (account, uri) => {
    const [, , bucket, ...key] = uri.split('/');
    const object = await aws(S3Client, account).send(
      new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }),
    );
    return Buffer.from(await object.Body.transformToByteArray());
  };
  const devUris = uris({ i: dev.InferenceSpecification, m: dev.ModelMetrics });
  const centralUris = uris({
    i: central.InferenceSpecification,
    m: central.ModelMetrics,
  });
  if (Object.keys(devUris).length === 0)
    return ['the dev version names no S3 artifact'];
  const differing = [];
  for (const [at, uri] of Object.entries(devUris)) {
    if (
      !centralUris[at] ||
      !(await read(DEV, uri)).equals(await read(SHARED, centralUris[at]))
    )
      differing.push(at);
  }
  return differing;
}

const started = Date.now();
let failure;
try {
  await main();
} catch (e) {
  failure = e;
}
fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'test-results/fault-test.json'),
  `${JSON.stringify(
    {
      ok: !failure,
      error: failure?.message,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.table(rows);
const bad = rows.filter(r => r.lost || r.duplicated);
if (failure || bad.length) {
  console.error(
    `fault test failed: ${
      failure?.message ?? `${bad.length} fault(s) lost or duplicated work`
    }; logs in ${workDir}`,
  );
  process.exit(1);
}
fs.rmSync(workDir, { recursive: true, force: true });
log(
  `every fault converged within its bound, nothing lost or duplicated, in ${seconds(
    Date.now() - started,
  )}s`,
);
process.exit(0);
