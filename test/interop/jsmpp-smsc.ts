// Runs test/interop/jsmpp/JsmppSmsc.java, an SMSC built on jsmpp (an SMPP implementation we did
// not write), as a child JVM, and follows it through the event lines it prints on stdout. The
// jars come from test/interop/jsmpp/fetch.sh (Maven Central, cached in ~/.cache/smsgw).
import { execFile, spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
const jsmppFolder = fileURLToPath(new URL('./jsmpp/', import.meta.url))

/** Covers a first run on a fresh machine, where fetch.sh downloads jsmpp (~25 s with an empty Maven cache). */
const FETCH_TIMEOUT_MS = 5 * 60_000
/** The source launcher compiles JsmppSmsc.java before it starts: about 1 s here, more on a busy machine. */
const DEFAULT_START_TIMEOUT_MS = 60_000
const DEFAULT_WAIT_TIMEOUT_MS = 5_000
/** After QUIT the SMSC unbinds its sessions and exits; SIGKILL after this. */
const STOP_TIMEOUT_MS = 10_000
/** stderr lines kept for error messages (jsmpp's warnings, the launcher's compile errors). */
const STDERR_LINES_KEPT = 40

export interface JsmppSmscOptions {
  /** The system_id an ESME must bind with; also the SMSC's system_id in bind_transceiver_resp. Default `smsgw`. */
  readonly systemId?: string
  /** The password an ESME must bind with. Default `secret`. */
  readonly password?: string
  /** jsmpp sends enquire_link after this many ms without a PDU from the ESME; 0 (default) never. */
  readonly enquireLinkMs?: number
  /** The first message id the SMSC hands out; ids are a counter written in lower-case hex. Default 160 (`a0`). */
  readonly firstMessageId?: number
  /** How long to wait for READY once the jars are there, in ms. Default 60 s. */
  readonly startTimeoutMs?: number
}

export interface JsmppSmsc {
  /** 127.0.0.1: the SMSC listens on loopback only. */
  readonly host: string
  /** The port the OS gave the SMSC. */
  readonly port: number
  readonly systemId: string
  readonly password: string
  /** Every event line so far, in order (`READY 4321`, `BOUND smsgw`, `SUBMIT a0 …`). */
  readonly events: readonly string[]
  /**
   * Resolves with the first event that starts with the words of `prefix` (`SUBMIT` matches
   * `SUBMIT a0 …` but not `SUBMIT_DETAIL a0 …`) and that no earlier `waitFor` returned, whether
   * it came before the call or after. Rejects after `timeoutMs` (default 5 s), or when the SMSC
   * exits first, with the events seen and the tail of stderr.
   */
  waitFor: (prefix: string, timeoutMs?: number) => Promise<string>
  /**
   * Asks the SMSC to send a deliver_sm from `from` to `to` to the last bound ESME: data_coding 0
   * when every character of `text` reads the same in GSM 7-bit and ASCII, else UCS-2 (8).
   * `MO_DELIVERED` follows once the ESME answered.
   */
  injectMo: (from: string, to: string, text: string) => void
  /** Same with exact octets: `MO_DELIVERED <dataCoding> <hex>` follows once the ESME answered. */
  injectMoOctets: (from: string, to: string, dataCoding: number, esmClass: number, shortMessage: Buffer) => void
  /**
   * Stops the SMSC: it unbinds bound sessions and exits; SIGKILL after 10 s. Resolves once the
   * process is gone. Safe to call twice.
   */
  stop: () => Promise<void>
}

/** `JSMPP_LIBS`: the folder of jsmpp's jars, fetched with mvn on the first call. */
export async function fetchJsmpp (): Promise<string> {
  let stdout: string
  try {
    ({ stdout } = await execFileAsync('bash', [join(jsmppFolder, 'fetch.sh')], { timeout: FETCH_TIMEOUT_MS }))
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`test/interop/jsmpp/fetch.sh failed:\n${stderr}`, { cause: error })
  }
  const libs = /^JSMPP_LIBS=(.+)$/m.exec(stdout)?.[1]
  if (libs === undefined) throw new Error(`fetch.sh printed no JSMPP_LIBS line:\n${stdout}`)
  return libs
}

/**
 * Fetches jsmpp if needed, starts the SMSC on a port the OS picks on 127.0.0.1, and resolves once
 * it listens (its READY line). Rejects with its stderr when it exits or stays silent first.
 * The SMSC exits by itself when this process goes away (it stops at the end of its stdin).
 */
export async function startJsmppSmsc (options: JsmppSmscOptions = {}): Promise<JsmppSmsc> {
  const systemId = options.systemId ?? 'smsgw'
  const password = options.password ?? 'secret'
  const libs = await fetchJsmpp()
  const args = [
    // A short-lived test server: the C1 compiler and the serial collector start it faster.
    '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx128m',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp', join(libs, '*'),
    join(jsmppFolder, 'JsmppSmsc.java'),
    '--port', '0',
    '--system-id', systemId,
    '--password', password,
    '--enquire-link-ms', String(options.enquireLinkMs ?? 0),
    '--first-message-id', String(options.firstMessageId ?? 160)
  ]
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] })
  const smsc = new SmscProcess(child, systemId, password)
  try {
    const ready = await smsc.waitFor('READY', options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
    smsc.port = Number.parseInt(ready.split(' ')[1] ?? '', 10)
    return smsc
  } catch (error) {
    await smsc.stop()
    throw error
  }
}

interface Waiter {
  readonly prefix: string
  readonly resolve: (event: string) => void
  readonly reject: (error: Error) => void
}

class SmscProcess implements JsmppSmsc {
  readonly host = '127.0.0.1'
  port = 0
  readonly systemId: string
  readonly password: string
  readonly events: string[] = []
  readonly #child: ChildProcessWithoutNullStreams
  readonly #stderr: string[] = []
  /** Indexes in `events` that a waitFor has returned. */
  readonly #taken = new Set<number>()
  readonly #waiters = new Set<Waiter>()
  readonly #exited: Promise<void>
  #exitReason: string | undefined

  constructor (child: ChildProcessWithoutNullStreams, systemId: string, password: string) {
    this.#child = child
    this.systemId = systemId
    this.password = password
    createInterface({ input: child.stdout }).on('line', line => this.#onEvent(line))
    createInterface({ input: child.stderr }).on('line', line => {
      this.#stderr.push(line)
      if (this.#stderr.length > STDERR_LINES_KEPT) this.#stderr.shift()
    })
    // The SMSC may exit (QUIT, a crash) while a write is in flight; the exit reports it.
    child.stdin.on('error', () => {})
    this.#exited = new Promise(resolve => {
      child.once('error', error => {
        this.#onExit(`could not start java: ${error.message}`)
        resolve()
      })
      child.once('close', (code, signal) => {
        this.#onExit(`the SMSC exited (${signal ?? `status ${code}`})`)
        resolve()
      })
    })
  }

  waitFor (prefix: string, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<string> {
    const found = this.#take(prefix)
    if (found !== undefined) return Promise.resolve(found)
    if (this.#exitReason !== undefined) return Promise.reject(this.#failure(prefix, this.#exitReason))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter)
        reject(this.#failure(prefix, `no such event within ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter: Waiter = {
        prefix,
        resolve: event => {
          clearTimeout(timer)
          resolve(event)
        },
        reject: error => {
          clearTimeout(timer)
          reject(error)
        }
      }
      this.#waiters.add(waiter)
    })
  }

  injectMo (from: string, to: string, text: string): void {
    this.#command(`MO ${word(from)} ${word(to)} ${oneLine(text)}`)
  }

  injectMoOctets (from: string, to: string, dataCoding: number, esmClass: number, shortMessage: Buffer): void {
    this.#command(`MO_HEX ${word(from)} ${word(to)} ${dataCoding} ${esmClass} ${shortMessage.toString('hex')}`)
  }

  async stop (): Promise<void> {
    if (this.#exitReason === undefined) {
      this.#child.stdin.end('QUIT\n')
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await this.#exited
      clearTimeout(timer)
    }
  }

  #command (line: string): void {
    if (this.#exitReason !== undefined) throw new Error(`jsmpp SMSC: cannot send a command, ${this.#exitReason}`)
    this.#child.stdin.write(`${line}\n`)
  }

  #onEvent (line: string): void {
    this.events.push(line)
    for (const waiter of this.#waiters) {
      if (!matches(line, waiter.prefix)) continue
      this.#taken.add(this.events.length - 1)
      this.#waiters.delete(waiter)
      waiter.resolve(line)
      return
    }
  }

  #onExit (reason: string): void {
    if (this.#exitReason !== undefined) return
    this.#exitReason = reason
    for (const waiter of this.#waiters) waiter.reject(this.#failure(waiter.prefix, reason))
    this.#waiters.clear()
  }

  #take (prefix: string): string | undefined {
    const index = this.events.findIndex((event, at) => !this.#taken.has(at) && matches(event, prefix))
    if (index === -1) return undefined
    this.#taken.add(index)
    return this.events[index]
  }

  #failure (prefix: string, reason: string): Error {
    return new Error([
      `jsmpp SMSC: waiting for ${JSON.stringify(prefix)}: ${reason}`,
      'events:', ...this.events.map(event => `  ${event}`),
      'stderr (last lines):', ...this.#stderr.map(line => `  ${line}`)
    ].join('\n'))
  }
}

function matches (event: string, prefix: string): boolean {
  return event === prefix || event.startsWith(`${prefix} `)
}

function word (value: string): string {
  if (!/^\S+$/.test(value)) throw new Error('jsmpp SMSC: an address is one word, without spaces')
  return value
}

function oneLine (text: string): string {
  if (/[\r\n]/.test(text)) throw new Error('jsmpp SMSC: an MO text is one line')
  return text
}
