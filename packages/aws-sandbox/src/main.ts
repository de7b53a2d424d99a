import { startSandbox } from './server';

// `yarn workspace @ml-governance/aws-sandbox start`: the sandbox alone, on :4566.
async function main() {
  const port = Number(process.env.AWS_SANDBOX_PORT ?? 4566);
  const sandbox = await startSandbox({ port, host: process.env.AWS_SANDBOX_HOST });
  console.log(`aws-sandbox listening on ${sandbox.url}`);
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
