// A first start, watched: `studio serve` on a fresh STUDIO_HOME (the built CLI, `npm run
// build:node` first), driven in Chromium at 1440x900, with a screenshot of each stage of the
// first start's story and the time each stage took from the start. Not a test (nothing is
// asserted): the README's pictures of what a first start shows come from here.
//   node scripts/firstStartScreenshots.mjs [OUT_DIR]   (default docs/screenshots)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';

const out = path.resolve(process.argv[2] ?? 'docs/screenshots');
fs.mkdirSync(out, { recursive: true });
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-first-start-shots-'));
const env = { ...process.env, STUDIO_HOME: home };
delete env.STUDIO_DEMO_CONTENT;

const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const child = spawn(process.execPath, ['bin/studio.mjs', 'serve', '--port', '0', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stderr.on('data', (d) => (output += d));
const url = await new Promise((resolve, reject) => {
  let line = '';
  child.stdout.on('data', (d) => {
    line += d;
    if (line.includes('\n')) resolve(JSON.parse(line.split('\n')[0]).url);
  });
  child.once('exit', (code) => reject(new Error(`studio serve exited with ${code}:\n${output}`)));
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const logText = () => fs.readdirSync(path.join(home, 'workspaces', 'demo', 'logs')).map((f) => fs.readFileSync(path.join(home, 'workspaces', 'demo', 'logs', f), 'utf8')).join('');
const waitLog = async (re, what, seconds = 900) => {
  for (let i = 0; i < seconds * 2; i++) {
    if (re.test(logText())) return console.log(`${since()}  ${what}`);
    await page.waitForTimeout(500);
  }
  throw new Error(`${what}: not after ${seconds} s`);
};
const shot = async (name) => {
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`${since()}  screenshot ${name}.png`);
};
const key = (k) => page.keyboard.press(k);

try {
  await page.goto(url);
  await page.waitForTimeout(3000);
  await shot('first-start-1-jobs');
  await waitLog(/Build the demo datanet .* succeeded/, 'demo datanet built');
  await key('Control+Shift+Digit2');
  await page.getByText('state-of-the-union').first().click();
  // Every record is accepted already: the review queue ("Pending") would show none of them.
  await page.getByLabel('Filter').selectOption('all');
  await shot('first-start-2-datanet');
  await waitLog(/step \d+\/\d+ loss/, 'fine-tune training');
  await key('Control+Shift+Digit3');
  await page.waitForTimeout(1500);
  await page.getByTestId('runs-list').locator('li').first().click();
  await page.waitForTimeout(20_000);
  await shot('first-start-3-factory-run');
  await waitLog(/Factory run .* succeeded/, 'fine-tune done', 3600);
  await waitLog(/Attribute 3 demo prompts .* succeeded/, 'demo prompts attributed');
  await waitLog(/Settle epoch \d+ on the devnet succeeded/, 'epoch settled');
  await page.reload();
  await page.waitForTimeout(3000);
  await key('Control+Shift+Digit4');
  await page.waitForTimeout(1500);
  await page.getByTestId('playground-open').click();
  await page.waitForTimeout(4000);
  await shot('first-start-4-playground-heatmap');
  await key('Control+Shift+Digit7');
  await page.getByTestId('attr-open-rewards').click();
  await page.waitForTimeout(4000);
  await shot('first-start-5-rewards-settled');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  console.log(`home: ${home}`);
}
