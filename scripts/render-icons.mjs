// Renders resources/icons/icon.svg to the PNG sizes packaging needs, with Debian's Chromium.
// Run by hand after changing the SVG: `node scripts/render-icons.mjs`.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../resources/icons/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const size of [512, 256]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  await page.screenshot({
    path: new URL(`../resources/icons/icon${size === 512 ? '' : `-${size}`}.png`, import.meta.url)
      .pathname,
    omitBackground: true,
  });
  await page.close();
}
await browser.close();
