import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';

/** Waits until the catalog of a test backend holds template `name` (asked as a service, which sees everything). */
export async function untilTemplateInCatalog(
  server: any,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  for (
    const deadline = Date.now() + timeoutMs;
    ;
    await new Promise(r => setTimeout(r, 200))
  ) {
    const found = await request(server)
      .get(`/api/catalog/entities/by-name/template/default/${name}`)
      .set('authorization', mockCredentials.service.header());
    if (found.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`template ${name} did not reach the catalog`);
  }
}

/** How a scaffolder task ended: its status, its log lines and its completion output. */
export interface TaskResult {
  status: 'completed' | 'failed';
  log: string;
  output?: any;
}

/** Waits for scaffolder task `id` to end, read as the user `authorization` stands for. */
export async function taskResult(
  server: any,
  authorization: string,
  id: string,
  timeoutMs = 30_000,
): Promise<TaskResult> {
  for (
    const deadline = Date.now() + timeoutMs;
    ;
    await new Promise(r => setTimeout(r, 200))
  ) {
    const task = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('authorization', authorization)
    ).body;
    if (['completed', 'failed'].includes(task.status)) {
      const events: any[] = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .set('authorization', authorization)
      ).body;
      return {
        status: task.status,
        log: events
          .map(e => e.body.message)
          .filter(Boolean)
          .join('\n'),
        output: events.find(e => e.type === 'completion')?.body.output,
      };
    }
    if (Date.now() > deadline)
      throw new Error(`task ${id} still ${task.status}`);
  }
}
