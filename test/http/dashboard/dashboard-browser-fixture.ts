import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

// The dashboard in a real browser: headless Chromium, the operator's login, and the event stream
// read as a client does. Shared by the dashboard's browser tests here and in test/app/.

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'
]

export interface OpenBrowser {
  readonly browser: BrowserContext
  readonly page: Page
  /** The page's console errors and warnings and its uncaught errors, as they come. */
  readonly problems: string[]
}

/** Chromium on a fresh profile with one page of `viewport`; closed, and its profile removed, when the test ends. */
export async function openBrowser (t: TestContext, viewport: { width: number, height: number }): Promise<OpenBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'smsgw-chromium-'))
  const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport })
  t.after(async () => {
    await browser.close()
    await rm(userDataDir, { recursive: true, force: true })
  })
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', message => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()) })
  page.on('pageerror', error => { problems.push(error.message) })
  return { browser, page, problems }
}

/** Opens the dashboard at `dashboardUrl`, logs in with `operatorKey`, and waits for its live stream. */
export async function logIn (page: Page, dashboardUrl: string, operatorKey: string): Promise<void> {
  await page.goto(dashboardUrl)
  await page.locator('#operator-key').fill(operatorKey)
  await page.locator('#login-form button[type=submit]').click()
  await page.locator('#live[data-live="true"]').waitFor({ timeout: 10_000 })
}

/** The text of an event stream up to the end of its first frame. */
export async function firstFrame (url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers })
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let received = ''
  while (!/^data: .*\n\n/m.test(received)) {
    const { value, done } = await reader.read()
    if (done) break
    received += decoder.decode(value, { stream: true })
  }
  await reader.cancel()
  return received
}
