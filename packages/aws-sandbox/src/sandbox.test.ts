import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchGetProjectsCommand } from '@aws-sdk/client-codebuild';
import {
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackageGroupsCommand,
} from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSandbox } from './sandbox';
import { seedScale } from './scale';
import {
  clients,
  FRAUD_DEV,
  PROD,
  SHARED,
  useSandbox,
} from './__testUtils__/clients';

describe('the sandbox', () => {
  const sandbox = useSandbox();

  it('keeps each account to its own resources', async () => {
    const prod = await clients(sandbox.current, PROD).sagemaker.send(
      new ListModelPackageGroupsCommand({}),
    );
    expect(prod.ModelPackageGroupSummaryList).toEqual([]);
    const error = await clients(sandbox.current, PROD)
      .sagemaker.send(
        new DescribeModelPackageGroupCommand({
          ModelPackageGroupName: 'fraud-detection',
        }),
      )
      .catch(e => e);
    expect(error.message).toContain('does not exist');
  });

  it('injects latency, throttling, access denied and a down account, and counts requests', async () => {
    const sm = clients(sandbox.current, FRAUD_DEV).sagemaker;
    sandbox.current.core.resetCounters();
    sandbox.current.setFaults([
      {
        account: FRAUD_DEV,
        service: 'sagemaker',
        operation: 'ListModelPackageGroups',
        latencyMs: 150,
      },
    ]);
    const started = Date.now();
    await sm.send(new ListModelPackageGroupsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    sandbox.current.setFaults([
      { account: FRAUD_DEV, service: 'sagemaker', throttlePerSecond: 2 },
    ]);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        sm.send(new ListModelPackageGroupsCommand({})).then(
          () => 'ok',
          e => e.name,
        ),
      ),
    );
    expect(
      results.filter(r => r === 'ThrottlingException').length,
    ).toBeGreaterThanOrEqual(2);

    sandbox.current.setFaults([{ account: FRAUD_DEV, accessDenied: true }]);
    expect(
      (await sm.send(new ListModelPackageGroupsCommand({})).catch(e => e)).name,
    ).toBe('AccessDeniedException');
    sandbox.current.setFaults([{ account: FRAUD_DEV, down: true }]);
    const down = await sm
      .send(new ListModelPackageGroupsCommand({}))
      .catch(e => e);
    expect(down.$metadata.httpStatusCode).toBe(503);
    // Other accounts are untouched.
    await clients(sandbox.current, PROD).sagemaker.send(
      new ListModelPackageGroupsCommand({}),
    );
    sandbox.current.setFaults([]);

    expect(
      sandbox.current.counters()['sagemaker:ListModelPackageGroups'],
    ).toEqual({ [FRAUD_DEV]: 8, [PROD]: 1 });
    const overHttp = await (
      await fetch(`${sandbox.current.url}/_sandbox/counters`)
    ).json();
    expect(overHttp['sagemaker:ListModelPackageGroups'][PROD]).toBe(1);
  });

  it('refuses oversized, malformed and unknown requests without falling over', async () => {
    const headers = {
      authorization: `AWS4-HMAC-SHA256 Credential=${FRAUD_DEV}/20261125/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=x`,
      'content-type': 'application/x-amz-json-1.1',
    };
    const big = await fetch(sandbox.current.url, {
      method: 'POST',
      headers: {
        ...headers,
        'x-amz-target': 'SageMaker.ListModelPackageGroups',
      },
      body: 'x'.repeat(9 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    const malformed = await fetch(sandbox.current.url, {
      method: 'POST',
      headers: {
        ...headers,
        'x-amz-target': 'SageMaker.ListModelPackageGroups',
      },
      body: '{not json',
    });
    expect(await malformed.json()).toMatchObject({
      __type: 'SerializationException',
    });
    const unknown = await fetch(sandbox.current.url, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'SageMaker.LaunchRocket' },
      body: '{}',
    });
    expect(await unknown.json()).toMatchObject({
      __type: 'UnknownOperationException',
    });
    const identity = await clients(sandbox.current, FRAUD_DEV).sts.send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity.Account).toBe(FRAUD_DEV);
  });

  it('seeds accounts x groups x versions for scale tests', async () => {
    const [account] = seedScale(sandbox.current.core, {
      accounts: 2,
      groups: 3,
      versions: 4,
    });
    const list = await clients(sandbox.current, account).sagemaker.send(
      new ListModelPackageGroupsCommand({}),
    );
    expect(list.ModelPackageGroupSummaryList).toHaveLength(3);
    expect(
      Object.keys(sandbox.current.core.account(account).modelPackages),
    ).toHaveLength(12);
  });
});

describe('persistence', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sandbox-'));
  const stateFile = path.join(dir, 'state.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps state across a restart, written atomically', async () => {
    const first = await startSandbox({ port: 0, stepMs: 10, stateFile });
    await clients(first, FRAUD_DEV).sagemaker.send(
      new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'survivor' }),
    );
    await first.close();
    expect(fs.readdirSync(dir)).toEqual(['state.json']);

    const second = await startSandbox({ port: 0, stepMs: 10, stateFile });
    const group = await clients(second, FRAUD_DEV).sagemaker.send(
      new DescribeModelPackageGroupCommand({
        ModelPackageGroupName: 'survivor',
      }),
    );
    expect(group.ModelPackageGroupName).toBe('survivor');
    await second.close();
  });

  it('starts from a state saved before a kind of resource existed, with none of it', async () => {
    const first = await startSandbox({ port: 0, stepMs: 10, stateFile });
    await first.close();
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    delete saved.accounts[SHARED].codeBuildProjects;
    fs.writeFileSync(stateFile, JSON.stringify(saved));
    const second = await startSandbox({ port: 0, stepMs: 10, stateFile });
    const { projects } = await clients(second, SHARED).codebuild.send(
      new BatchGetProjectsCommand({ names: ['absent'] }),
    );
    expect(projects).toEqual([]);
    await second.close();
  });

  it('refuses to start on an unreadable state file, naming it', async () => {
    fs.writeFileSync(stateFile, '{"half": ');
    await expect(startSandbox({ port: 0, stateFile })).rejects.toThrow(
      `state file ${stateFile} is not valid JSON`,
    );
    fs.writeFileSync(stateFile, '{"formatVersion": 7}');
    await expect(startSandbox({ port: 0, stateFile })).rejects.toThrow(
      'is not a sandbox state',
    );
  });

  it('names the bad key of a scenario', async () => {
    const scenario = path.join(dir, 'bad.yaml');
    fs.writeFileSync(scenario, "accounts:\n  - { id: '123', name: short }\n");
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      'accounts[0].id must be a 12-digit account id',
    );
    const account = "accounts:\n  - { id: '111111111111', name: one }\n";
    fs.writeFileSync(
      scenario,
      `${account}queues:\n  - { account: '111111111111', name: q }\n`,
    );
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      'queues: queues and rules are made by CloudFormation templates now; apply one under stacks',
    );
    fs.writeFileSync(
      scenario,
      `${account}stacks:\n  - { account: '111111111111', template: t.yaml, parameters: { Count: 3 } }\n`,
    );
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      'stacks[0].parameters.Count must be a string',
    );
    fs.writeFileSync(
      scenario,
      `${account}stacks:\n  - { account: '111111111111', template: absent.yaml }\n`,
    );
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      `CloudFormation template ${path.join(dir, 'absent.yaml')}: ENOENT`,
    );
    const bundle = path.resolve(
      __dirname,
      '../../../plugins/scaffolder-ml-actions/deploy-pipeline',
    );
    fs.writeFileSync(
      scenario,
      `${account}deployPipelines:\n  - { name: p, account: '111111111111', bundle: ${bundle}, parameters: { InstanceCount: 2 } }\n`,
    );
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      'deployPipelines[0].parameters.InstanceCount must be a string (quote it)',
    );
    fs.writeFileSync(
      scenario,
      `${account}deployPipelines:\n  - { name: p, account: '111111111111', bundle: ${bundle}, parameters: { ModelPackageGroupName: m } }\n`,
    );
    await expect(startSandbox({ port: 0, scenario })).rejects.toThrow(
      `deploy pipeline bundle ${bundle}/pipeline.json: parameter TestAccountId needs a value`,
    );
  });
});
