import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListModelPackageGroupsCommand } from '@aws-sdk/client-sagemaker';
import { loadState } from './persistence';
import { startSandbox } from './sandbox';
import { clients, FRAUD_DEV } from './__testUtils__/clients';

const ROUNDS = 20;

/** Saves the state file in a loop, each state a different size, telling its parent once the first is written. */
const WRITER = `
  const { loadState, saveState } = require(${JSON.stringify(
    require.resolve('./persistence'),
  )});
  const file = process.argv[1];
  const state = loadState(file);
  const account = Object.keys(state.accounts)[0];
  for (let i = 1; ; i++) {
    state.sequence += 1;
    state.accounts[account].tags['kill-test'] = Array.from({ length: (i * 37) % 2000 }, (_, n) => ({ Key: 'k' + n, Value: 'v'.repeat(500) }));
    saveState(file, state);
    if (i === 1) process.stdout.write('writing\\n');
  }
`;

describe('the state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sandbox-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is always a whole state, however its writer is killed (SIGKILL) mid-write, and the sandbox starts from it', async () => {
    const file = path.join(dir, 'state.json');
    await (
      await startSandbox({ port: 0, stepMs: 20, stateFile: file })
    ).close();
    let sequence = loadState(file)!.sequence;
    for (let round = 0; round < ROUNDS; round++) {
      const writer = spawn(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          '-e',
          WRITER,
          file,
        ],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise(resolve => writer.once('exit', resolve));
      await new Promise(resolve => writer.stdout.once('data', resolve));
      await new Promise(resolve => setTimeout(resolve, Math.random() * 100));
      writer.kill('SIGKILL');
      await exited;
      const state = loadState(file)!;
      expect(state.formatVersion).toBe(1);
      expect(state.sequence).toBeGreaterThan(sequence);
      sequence = state.sequence;
    }
    const restarted = await startSandbox({
      port: 0,
      stepMs: 20,
      stateFile: file,
    });
    try {
      await expect(
        clients(restarted, FRAUD_DEV).sagemaker.send(
          new ListModelPackageGroupsCommand({}),
        ),
      ).resolves.toBeDefined();
      expect(restarted.core.state.sequence).toBeGreaterThanOrEqual(sequence);
    } finally {
      await restarted.close();
    }
    // The killed writers' temporary files are gone with the start.
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  }, 120_000);

  it('refuses a file that is not a state, naming it', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, '{"formatVersion": 1, "accounts": {');
    expect(() => loadState(file)).toThrow(
      `aws-sandbox: state file ${file} is not valid JSON`,
    );
  });
});
