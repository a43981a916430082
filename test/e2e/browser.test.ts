// Real-browser tests: the demo page in Debian's Chromium, driven by playwright-core.
//   npm run test:e2e      (needs /usr/bin/chromium: apt-get install chromium)
import t from 'tap'
import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build } from '../../example/complete-server.js'

// The page's globals, as the functions run in the browser see them (no DOM types in this project).
declare const document: {
  getElementById: (id: string) => { textContent: string | null } | null
  querySelectorAll: (selector: string) => { length: number }
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// No GPU, no sandbox (CI runs as root), and none of the background traffic this machine's
// closed network refuses.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const SCREENSHOTS = new URL('./screenshots/', import.meta.url)

const app = build({ tickInterval: 100 })
t.teardown(() => app.close())
const base = await app.serve({ port: 0 })
const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
t.teardown(() => browser.close())

async function open (): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(base)
  return page
}

const text = (page: Page, id: string): Promise<string> => page.locator(`#${id}`).innerText()
const items = (page: Page, list: string): Promise<string[]> => page.locator(`#${list} li`).allInnerTexts()

t.test('the WebSocket echo, and the close code after the server closes', async (t) => {
  const page = await open()
  await page.click('#ws-connect')
  await page.waitForFunction(() => document.getElementById('ws-status')?.textContent === 'open')
  await page.fill('#ws-text', 'hello from Chromium')
  await page.click('#ws-send')
  await page.waitForFunction(() => document.querySelectorAll('#ws-log li').length === 2)
  t.same(await items(page, 'ws-log'), ['Welcome to Relic WebSocket!', 'Echo: hello from Chromium'])
  await page.click('#ws-server-close')
  await page.waitForFunction(() => document.getElementById('ws-status')?.textContent?.startsWith('closed') === true)
  t.equal(await text(page, 'ws-status'), 'closed 4000 closed by the server')
  await page.close()
})

t.test('SSE ticks arrive through EventSource', async (t) => {
  const page = await open()
  await page.click('#sse-start')
  await page.waitForFunction(() => document.querySelectorAll('#sse-log li').length >= 3)
  const ticks = await items(page, 'sse-log')
  t.match(ticks[0], /^id \d+: tick \d+$/)
  t.equal(await text(page, 'sse-status'), 'open')
  await page.close()
})

t.test('an EventSource that reconnects resumes from Last-Event-ID: no gap, no repeat', async (t) => {
  const page = await open()
  await page.click('#sse-drop')
  // The server drops the stream every 3 live ticks; 12 ticks span at least two reconnects.
  await page.waitForFunction(() => document.querySelectorAll('#sse-log li').length >= 12, undefined, { timeout: 15_000 })
  const ids = (await items(page, 'sse-log')).map((line) => Number(/^id (\d+)/.exec(line)?.[1]))
  t.ok(ids.every((id, i) => i === 0 || id === (ids[i - 1] as number) + 1), `consecutive ids: ${ids.join(',')}`)
  const reconnects = await page.evaluate(() => (globalThis as unknown as { sseReconnects?: number }).sseReconnects ?? 0)
  t.ok(reconnects >= 2, `across ${reconnects} reconnects (each one replays what it missed, then 3 live ticks)`)
  await page.close()
})

t.test('upgrades the handler refuses: an HTTP 401, and a 4401 close after accepting', async (t) => {
  const page = await open()
  await page.click('#refuse-401')
  await page.waitForFunction(() => document.getElementById('refused-status')?.textContent?.startsWith('refused') === true)
  t.equal(await text(page, 'refused-status'), 'refused: the handshake failed')
  await page.click('#refuse-4401')
  await page.waitForFunction(() => document.getElementById('refused-status')?.textContent?.startsWith('closed') === true)
  t.equal(await text(page, 'refused-status'), 'closed 4401 unauthorized')
  await page.click('#refuse-token')
  await page.waitForFunction(() => document.getElementById('refused-status')?.textContent?.startsWith('accepted') === true)
  t.equal(await text(page, 'refused-status'), 'accepted: welcome, token holder')
  await page.close()
})

t.test('two pages chat through one route', async (t) => {
  const [one, two] = await Promise.all([open(), open()])
  for (const page of [one, two]) await page.waitForFunction(() => document.getElementById('chat-status')?.textContent === 'in the room')
  await one.fill('#chat-name', 'one')
  await one.fill('#chat-text', 'hello, two')
  await one.click('#chat-send')
  await two.waitForFunction(() => document.querySelectorAll('#chat-log li').length === 1)
  t.same(await items(two, 'chat-log'), ['one: hello, two'])
  await two.fill('#chat-name', 'two')
  await two.fill('#chat-text', 'hi, one')
  await two.click('#chat-send')
  await one.waitForFunction(() => document.querySelectorAll('#chat-log li').length === 2)
  t.same(await items(one, 'chat-log'), ['one (me): hello, two', 'two: hi, one'])
  // For a person to look at: the page with every panel used.
  await one.click('#ws-connect')
  await one.click('#sse-start')
  await one.waitForFunction(() => document.querySelectorAll('#sse-log li').length >= 2)
  mkdirSync(SCREENSHOTS, { recursive: true })
  await one.screenshot({ path: new URL('demo.png', SCREENSHOTS).pathname, fullPage: true })
  await Promise.all([one.close(), two.close()])
})
