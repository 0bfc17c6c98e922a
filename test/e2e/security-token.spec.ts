import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, openStudio, startStudio, stopStudio, test } from './studioFixture';

/**
 * Finding 3 of issue 10, in a real Chromium: after the workbench is opened with its launch
 * token, another server on the same loopback host (another port) must never be sent it, whatever
 * a page there does. The second server records every request line and header it receives.
 */
interface Recorded {
  url: string;
  headers: http.IncomingHttpHeaders;
}

let recorder: http.Server;
let recorded: Recorded[] = [];
let recorderPort = 0;

// A page that uses the host's cookies every way a page can: navigation, fetch with credentials,
// a subresource, and a WebSocket to itself.
const recorderPage = `<!doctype html><title>other local server</title>
<img src="/pixel.png"><script>
fetch('/fetched', { credentials: 'include' });
try { new WebSocket('ws://' + location.host + '/socket'); } catch {}
</script>`;

test.beforeAll(async () => {
  recorder = http.createServer((req, res) => {
    recorded.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' }).end(recorderPage);
  });
  recorder.on('upgrade', (req, socket) => {
    recorded.push({ url: req.url ?? '', headers: req.headers });
    socket.destroy();
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderPort = (recorder.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => recorder.close(() => resolve()));
});
test.beforeEach(() => {
  recorded = [];
});

test('another server on this host never receives the launch token', async ({ page, studio, errors }) => {
  await openStudio(page, studio);
  for (const host of ['127.0.0.1', 'localhost']) {
    await page.goto(`http://${host}:${recorderPort}/page`);
    await expect.poll(() => recorded.filter((r) => r.url === '/fetched').length).toBeGreaterThan(0);
  }
  // Back to the workbench in the same tab: still connected, and the token went nowhere else.
  await page.goto(`${studio.origin}/`);
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  await page.goto(`http://127.0.0.1:${recorderPort}/after`);
  await expect.poll(() => recorded.some((r) => r.url === '/after')).toBe(true);

  expect(recorded.length).toBeGreaterThan(4);
  for (const r of recorded) {
    expect(JSON.stringify(r), `request ${r.url} to the other server`).not.toContain(studio.token);
    expect(r.headers.cookie ?? '', `cookies sent with ${r.url}`).not.toMatch(/studio/);
  }
  // The other origin cannot read the token from storage either.
  // (Page code is passed as text: this project's Node typings have no DOM.)
  expect(await page.evaluate('JSON.stringify({ ...sessionStorage, ...localStorage })')).not.toContain(studio.token);
  expect(errors.filter((e) => !e.includes(`:${recorderPort}`))).toEqual([]);
});

test('a page on another port can neither use the API nor break it with a planted cookie', async ({ page, studio }) => {
  await page.goto(`http://127.0.0.1:${recorderPort}/attacker`);
  // Finding 1's browser path: plant a cookie that does not URL-decode on the whole host.
  await page.evaluate("document.cookie = 'studio_token=%E0%A4%A; path=/'");
  const socketState = await page.evaluate(`new Promise((resolve) => {
    const ws = new WebSocket('ws://127.0.0.1:${studio.port}/api', ['studio', 'studio.token.guess']);
    ws.onopen = () => resolve('open');
    ws.onclose = () => resolve('closed');
  })`);
  expect(socketState).toBe('closed');
  // The planted cookie goes to the workbench's server too (cookies ignore ports): it must not
  // matter to it, before or after the token is presented.
  await page.goto(`${studio.origin}/`);
  await expect(page.getByTestId('launch-token-required')).toBeVisible();
  await openStudio(page, studio);
  await page.reload();
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
});

test('a stale token from an earlier launch is recognised and dropped', async ({ page, studio }) => {
  await page.goto(`${studio.origin}/`);
  await expect(page.getByTestId('launch-token-required')).toBeVisible();
  await page.evaluate("sessionStorage.setItem('studio.launchToken', 'from-an-earlier-launch')");
  await page.reload();
  await expect(page.getByTestId('launch-token-required')).toContainText('no longer valid');
  expect(await page.evaluate("sessionStorage.getItem('studio.launchToken')")).toBeNull();
});

test('after serve restarts on the same port, an open tab says its token is no longer valid', async ({ page }) => {
  // Its own servers: this test stops one and starts another in its place.
  const first = await startStudio();
  let second: Awaited<ReturnType<typeof startStudio>> | null = null;
  try {
    await openStudio(page, first.server);
    await stopStudio(first.child, first.server.home);
    second = await startStudio({ port: first.server.port });
    await expect(page.getByTestId('launch-token-required')).toContainText('no longer valid', { timeout: 30_000 });
    // The new launch's URL works in the same tab.
    await openStudio(page, second.server);
  } finally {
    await stopStudio(first.child, first.server.home);
    if (second) await stopStudio(second.child, second.server.home);
  }
});
