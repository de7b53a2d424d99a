import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox';
import { seedScale } from './scale';

const usage = `aws-sandbox [--port 4566] [--host 127.0.0.1] [--scenario FILE] [--state-file FILE]
            [--step-ms 1000] [--scale ACCOUNTS,GROUPS,VERSIONS] [--check-responses]`;

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.AWS_SANDBOX_PORT ?? '4566' },
      host: {
        type: 'string',
        default: process.env.AWS_SANDBOX_HOST ?? '127.0.0.1',
      },
      scenario: { type: 'string', default: process.env.AWS_SANDBOX_SCENARIO },
      'state-file': {
        type: 'string',
        default: process.env.AWS_SANDBOX_STATE_FILE,
      },
      'step-ms': {
        type: 'string',
        default: process.env.AWS_SANDBOX_STEP_MS ?? '1000',
      },
      scale: { type: 'string' },
      // Holds every response to AWS's model, as unit tests do; the boot and browser tests turn it on.
      'check-responses': {
        type: 'boolean',
        default: process.env.AWS_SANDBOX_CHECK_RESPONSES === 'true',
      },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const sandbox = await startSandbox({
    port: Number(values.port),
    host: values.host,
    scenario: values.scenario,
    stateFile: values['state-file'],
    stepMs: Number(values['step-ms']),
    checkResponses: values['check-responses'],
  });
  if (values.scale) {
    const [accounts, groups, versions] = values.scale.split(',').map(Number);
    if (
      ![accounts, groups, versions].every(n => Number.isInteger(n) && n > 0)
    ) {
      throw new Error(
        `--scale wants ACCOUNTS,GROUPS,VERSIONS, got '${values.scale}'`,
      );
    }
    const started = Date.now();
    // Each scale account trusts the tooling account, as the scenario's accounts do.
    seedScale(sandbox.core, {
      accounts,
      groups,
      versions,
      role: { name: 'backstage-ml', trust: ['999999999999'] },
    });
    console.log(
      `aws-sandbox: seeded ${accounts}x${groups}x${versions} in ${
        Date.now() - started
      } ms`,
    );
  }
  console.log(
    `aws-sandbox listening on ${sandbox.url} (accounts: ${Object.keys(
      sandbox.core.state.accounts,
    ).join(', ')})`,
  );
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
