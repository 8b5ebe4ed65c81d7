/**
 * The README's screenshot of the workbench (docs/workbench.png): the built app in headless Chromium with the example
 * rules and events, the timeline view with an event open. `npx tsx scripts/web-screenshot.ts` (after `npm run build`).
 */
import { join } from 'node:path';
import { buildWorkbench, launch, openPage, ROOT, serve } from '../test/web/support.js';

const { server, origin } = await serve(await buildWorkbench());
const browser = await launch();
try {
  const { page, context } = await openPage(browser);
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.setInputFiles('#rule-folder', join(ROOT, 'examples/rules'));
  await page.waitForFunction(() => document.getElementById('rules-status')!.dataset.rules !== undefined);
  await page.setInputFiles('#event-files', join(ROOT, 'examples/events/sample.ndjson'));
  await page.waitForFunction(() => document.body.dataset.state === 'done');
  await page.focus('#table-scroll');
  for (const key of ['ArrowDown', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
  await page.waitForSelector('#event-panel:not([hidden])');
  await page.evaluate(() => document.getElementById('summary')!.scrollIntoView());
  await page.screenshot({ path: join(ROOT, 'docs/workbench.png') });
  await context.close();
} finally {
  await browser.close();
  server.close();
}
