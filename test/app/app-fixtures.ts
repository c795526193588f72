import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { readPublicKeyFile } from '../../src/cli/public-key-file.ts'
import { sealPayload } from '../../src/crypto/payload/index.ts'
import { formatSmsText } from '../../src/sms/sms-text.ts'
import { eventually } from '../harness/eventually.ts'

export { temporaryFolder } from '../harness/temporary-folder.ts'

// Helpers for the end-to-end tests of the one-command experience: sealed requests as a client
// makes them, and the HTTP API as a client calls it (fetch, no inject).

/** A deadline far off, as the welcome text's curl command sends. */
export const FAR_DEADLINE = '2100-01-01T00:00:00Z'

/** One status as `GET /v1/messages/{correlId}` gives it (spec §4). */
export interface StatusJson {
  readonly 'client-id': string
  readonly 'correl-id': string
  readonly timestamp: string
  readonly 'sms-status': string
  readonly 'recall-id'?: string
  readonly 'error-text'?: string
}

export interface SmsParts {
  readonly to: string
  readonly sender: string
  readonly body: string
}

/** The request JSON of spec §2 with the SMS text sealed to the public key in `publicKeyFile`. */
export async function sealedRequest (publicKeyFile: string, clientId: string, correlId: string, sms: SmsParts): Promise<Record<string, string>> {
  const publicKey = await readPublicKeyFile(publicKeyFile)
  const text = formatSmsText({ To: sms.to, Sender: sms.sender }, sms.body)
  return { 'client-id': clientId, 'correl-id': correlId, deadline: FAR_DEADLINE, payload: sealPayload(publicKey, Buffer.from(text, 'utf8'), 'v2') }
}

/** The HTTP API of a running gateway, called with one API key (or none). */
export class ApiClient {
  readonly #url: string
  readonly #key: string | undefined

  constructor (url: string, key: string | undefined) {
    this.#url = url
    this.#key = key
  }

  /** `POST /v1/messages`; resolves to the status code and the parsed answer. */
  async send (request: unknown): Promise<{ status: number, body: Record<string, unknown> }> {
    const response = await fetch(`${this.#url}/v1/messages`, {
      method: 'POST',
      headers: { ...this.#authorization(), 'content-type': 'application/json' },
      body: JSON.stringify(request)
    })
    return { status: response.status, body: await response.json() as Record<string, unknown> }
  }

  /** `GET /v1/messages/{correlId}`: the statuses so far, [] while it answers 404; waits out a 429. */
  async statuses (correlId: string): Promise<StatusJson[]> {
    for (;;) {
      const response = await fetch(`${this.#url}/v1/messages/${encodeURIComponent(correlId)}`, { headers: this.#authorization() })
      if (response.status === 429) {
        await response.body?.cancel()
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000)
        continue
      }
      if (response.status === 404) {
        await response.body?.cancel()
        return []
      }
      assert.equal(response.status, 200, `GET /v1/messages/${correlId}`)
      return (await response.json() as { statuses: StatusJson[] }).statuses
    }
  }

  /**
   * The statuses of `correlId` once `done` holds for them (polled: a GET gives no event to wait
   * on); fails after `timeoutMs` with the statuses seen last.
   */
  async statusesWhen (correlId: string, done: (statuses: readonly StatusJson[]) => boolean, timeoutMs = 10_000): Promise<StatusJson[]> {
    let statuses: StatusJson[] = []
    await eventually(`statuses of ${correlId} for which the condition holds`, async () => done(statuses = await this.statuses(correlId)), timeoutMs)
      .catch((error: unknown) => assert.fail(`${(error as Error).message}; the statuses seen last: ${JSON.stringify(statuses)}`))
    return statuses
  }

  #authorization (): Record<string, string> {
    return this.#key === undefined ? {} : { authorization: `Bearer ${this.#key}` }
  }
}

/** The `sms-status` of each status, in order. */
export function kinds (statuses: readonly StatusJson[]): string[] {
  return statuses.map(status => status['sms-status'])
}

/** True once a status other than SENT has come (the last one a request gets). */
export function hasFinal (statuses: readonly StatusJson[]): boolean {
  return statuses.some(status => status['sms-status'] !== 'SENT')
}

/** Resolves as `promise` does; rejects with `what` when it has not settled after `timeoutMs`. */
export async function within<T> (promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`${what}: not within ${timeoutMs} ms`)) }, timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// The tests of app/ and deploy/ import the one polling helper from here.
export { eventually }

/**
 * The server-sent event stream at `url` read in the background: `onEvents` gets each run of whole
 * events (up to a blank line) as it arrives. Resolves, once the stream answered 200, with the
 * function that stops reading.
 */
export async function readEventStream (url: string, headers: Record<string, string>, onEvents: (text: string) => void): Promise<() => void> {
  const stopping = new AbortController()
  const response = await fetch(url, { headers, signal: stopping.signal })
  assert.equal(response.status, 200)
  void (async () => {
    const decoder = new TextDecoder()
    let text = ''
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true })
      const complete = text.lastIndexOf('\n\n')
      if (complete < 0) continue
      onEvents(text.slice(0, complete))
      text = text.slice(complete + 2)
    }
  })().catch(() => {})
  return () => { stopping.abort() }
}

/** `GET /v1/statuses/stream` read in the background: the statuses it has delivered so far. */
export async function readStatusStream (url: string, key: string | undefined): Promise<{ seen: StatusJson[], close: () => void }> {
  const seen: StatusJson[] = []
  const close = await readEventStream(`${url}/v1/statuses/stream`, key === undefined ? {} : { authorization: `Bearer ${key}` }, text => {
    for (const [, data] of text.matchAll(/^data: (.*)$/gm)) seen.push(JSON.parse(data as string) as StatusJson)
  })
  return { seen, close }
}
