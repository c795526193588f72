import { randomUUID } from 'node:crypto'
import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls, type TLSSocket } from 'node:tls'
import { smtpTlsModes, type SmtpTlsMode } from '../../config/smtp-tls-modes.ts'

// A minimal SMTP client (RFC 5321) for the relay's e-mail OTP: one message per connection. No
// mail library is installed (nodemailer is not among the project's packages) and the relay needs
// only this much: EHLO, STARTTLS (RFC 3207) or TLS from the start, AUTH PLAIN (RFC 4954), MAIL
// FROM, RCPT TO, DATA with dot-stuffing, QUIT. Certificates are verified (the system's CAs, or
// the configured ones). Errors name the step and the server's reply code, never an address, a
// password or the message.

export interface SmtpServer {
  readonly host: string
  readonly port: number
  /** `starttls`: upgrade after EHLO (refused when the server does not offer it); `tls`: TLS from the start; `none`: plaintext. */
  readonly tls: SmtpTlsMode
  /** With a password: AUTH PLAIN after the connection is private (or at once, with `none`). */
  readonly user?: string | undefined
  readonly password?: string | undefined
  /** Certificates to trust instead of the system's (PEM). */
  readonly ca?: Buffer | undefined
  /** The name given in EHLO. */
  readonly clientName: string
  /** Each step's answer is awaited this long. */
  readonly timeoutMs: number
}

export interface MailMessage {
  readonly from: string
  readonly to: string
  readonly subject: string
  /** Plain text, ASCII (the relay's OTP mail is). */
  readonly text: string
}

interface Reply { readonly code: number, readonly lines: readonly string[] }

/** Sends one message; resolves once the server accepted it (250 after DATA), rejects otherwise. */
export async function sendMail (server: SmtpServer, message: MailMessage): Promise<void> {
  for (const [field, value] of [['from', message.from], ['to', message.to], ['subject', message.subject]] as const) {
    if (!/^[\x20-\x7e]+$/.test(value) || (field !== 'subject' && /[<>\s]/.test(value))) throw new Error(`the mail's ${field} is not a plain ASCII ${field === 'subject' ? 'line' : 'address'}`)
  }
  const session = await SmtpSession.open(server)
  try {
    await session.expect('greeting', 220)
    let extensions = await session.ehlo(server.clientName)
    if (server.tls === smtpTlsModes.starttls) {
      if (!extensions.has('STARTTLS')) throw new Error('the SMTP server does not offer STARTTLS')
      await session.command('STARTTLS', 'STARTTLS', 220)
      await session.upgrade(server)
      extensions = await session.ehlo(server.clientName)
    }
    if (server.user !== undefined && server.password !== undefined) {
      const credentials = Buffer.from(`\0${server.user}\0${server.password}`, 'utf8').toString('base64')
      await session.command(`AUTH PLAIN ${credentials}`, 'AUTH', 235)
    }
    await session.command(`MAIL FROM:<${message.from}>`, 'MAIL FROM', 250)
    await session.command(`RCPT TO:<${message.to}>`, 'RCPT TO', 250, 251)
    await session.command('DATA', 'DATA', 354)
    await session.command(`${dotStuffed(formatMessage(message))}\r\n.`, 'message', 250)
    await session.command('QUIT', 'QUIT', 221).catch(() => {})
  } finally {
    session.close()
  }
}

/** RFC 5322 headers and the body, CRLF line endings. */
function formatMessage (message: MailMessage): string {
  const headers = [
    `From: <${message.from}>`,
    `To: <${message.to}>`,
    `Subject: ${message.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@smsgw>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit'
  ]
  return `${headers.join('\r\n')}\r\n\r\n${message.text.replace(/\r?\n/g, '\r\n')}`
}

/** RFC 5321 §4.5.2: a line of the message that starts with a dot gets one more. */
export function dotStuffed (data: string): string {
  return data.split('\r\n').map(line => line.startsWith('.') ? `.${line}` : line).join('\r\n')
}

/** One connection: replies read line by line from whichever socket is current (plain, then TLS). */
class SmtpSession {
  #socket: Socket | TLSSocket
  readonly #timeoutMs: number
  #buffer = ''
  #lines: string[] = []
  #waiting: { resolve: (reply: Reply) => void, reject: (error: Error) => void } | undefined
  #failure: Error | undefined

  private constructor (socket: Socket | TLSSocket, timeoutMs: number) {
    this.#socket = socket
    this.#timeoutMs = timeoutMs
    this.#listen(socket)
  }

  static async open (server: SmtpServer): Promise<SmtpSession> {
    const socket = server.tls === smtpTlsModes.tls
      ? connectTls({ host: server.host, port: server.port, servername: server.host, ...(server.ca === undefined ? {} : { ca: server.ca }) })
      : connectTcp({ host: server.host, port: server.port })
    return new SmtpSession(socket, server.timeoutMs)
  }

  async ehlo (clientName: string): Promise<Set<string>> {
    const reply = await this.command(`EHLO ${clientName}`, 'EHLO', 250)
    return new Set(reply.lines.slice(1).map(line => (line.split(' ')[0] ?? '').toUpperCase()))
  }

  async command (line: string, step: string, ...expected: number[]): Promise<Reply> {
    this.#socket.write(`${line}\r\n`)
    return await this.expect(step, ...expected)
  }

  async expect (step: string, ...expected: number[]): Promise<Reply> {
    const reply = await this.#next(step)
    if (!expected.includes(reply.code)) throw new Error(`the SMTP server answered ${step} with ${reply.code}`)
    return reply
  }

  /** STARTTLS: the same connection, from here on inside TLS (RFC 3207 §4.2: what was read before is dropped). */
  async upgrade (server: SmtpServer): Promise<void> {
    const plain = this.#socket
    plain.removeAllListeners('data')
    plain.removeAllListeners('error')
    plain.removeAllListeners('close')
    plain.setTimeout(0)
    this.#buffer = ''
    this.#lines = []
    const secure = connectTls({ socket: plain, servername: server.host, ...(server.ca === undefined ? {} : { ca: server.ca }) })
    this.#socket = secure
    this.#listen(secure)
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve)
      secure.once('error', error => { reject(new Error(`SMTP connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message} (at STARTTLS)`)) })
    })
  }

  close (): void {
    this.#socket.destroy()
  }

  #listen (socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1')
    socket.setTimeout(this.#timeoutMs, () => { this.#fail(new Error('the SMTP server did not answer in time')) })
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk
      const lines = this.#buffer.split('\r\n')
      this.#buffer = lines.pop() ?? ''
      this.#lines.push(...lines)
      this.#deliver()
    })
    socket.on('error', error => { this.#fail(new Error(`SMTP connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`)) })
    socket.on('close', () => { this.#fail(new Error('the SMTP server closed the connection')) })
  }

  async #next (step: string): Promise<Reply> {
    if (this.#failure !== undefined) throw new Error(`${this.#failure.message} (at ${step})`)
    return await new Promise<Reply>((resolve, reject) => {
      this.#waiting = { resolve, reject: error => { reject(new Error(`${error.message} (at ${step})`)) } }
      this.#deliver()
    })
  }

  /** Hands a whole reply (its last line has a space after the code) to the one waiting for it. */
  #deliver (): void {
    if (this.#waiting === undefined) return
    const end = this.#lines.findIndex(line => !/^\d{3}-/.test(line))
    if (end === -1) return
    const lines = this.#lines.splice(0, end + 1)
    const waiting = this.#waiting
    this.#waiting = undefined
    const code = Number((lines[lines.length - 1] ?? '').slice(0, 3))
    if (!Number.isInteger(code) || code < 200 || code > 599) {
      waiting.reject(new Error('the SMTP server sent a malformed reply'))
      return
    }
    waiting.resolve({ code, lines: lines.map(line => line.slice(4)) })
  }

  #fail (error: Error): void {
    this.#failure ??= error
    this.#socket.destroy()
    const waiting = this.#waiting
    this.#waiting = undefined
    waiting?.reject(error)
  }
}
