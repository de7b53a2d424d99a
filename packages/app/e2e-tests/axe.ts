import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

/**
 * Runs axe on what `page` shows now and fails, naming each rule and where it
 * is broken, on any serious or critical violation (WCAG 2.1 A and AA rules
 * and axe's best practices). `exclude` leaves out markup that is not ours.
 */
export async function expectAccessible(
  page: Page,
  what: string,
  options: { exclude?: string[] } = {},
) {
  const builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder.exclude(selector);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}, at ${v.nodes
          .slice(0, 5)
          .map(n => `${n.target.join(' ')} ${n.html.slice(0, 160)}`)
          .join('; ')}`,
    );
  expect(serious, `serious or critical violations on ${what}`).toEqual([]);
}
