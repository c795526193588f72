import { randomUUID } from 'node:crypto'
import { createTransport } from 'nodemailer'
import { smtpTlsModes, type SmtpTlsMode } from '../../config/smtp-tls-modes.ts'

// The relay's e-mail OTP over SMTP with nodemailer: one message per connection (no pool), the
// certificate always verified (the system's CAs, or the configured ones), AUTH PLAIN, and every
// step bounded in time, so a dead server cannot hold an RPC. Nodemailer's own logger is off and its
// errors are not passed on: their text quotes the server's reply, which may echo the recipient;
// ours name the step and the reply code only.

export interface SmtpServer {
  readonly host: string
  readonly port: number
  /** `starttls`: upgrade after EHLO (refused when the server does not offer it); `tls`: TLS from the start; `none`: plaintext. */
  readonly tls: SmtpTlsMode
  /** With a password: AUTH PLAIN (the server decides whether it takes it before the connection is private). */
  readonly user?: string | undefined
  readonly password?: string | undefined
  /** Certificates to trust instead of the system's (PEM). */
  readonly ca?: Buffer | undefined
  /** The name given in EHLO. */
  readonly clientName: string
  /** The connection, the greeting and every later step are each awaited this long. */
  readonly timeoutMs: number
}

export interface MailMessage {
  readonly from: string
  readonly to: string
  readonly subject: string
  /** Plain text (the relay's OTP mail is ASCII). */
  readonly text: string
}

export type SendMail = (message: MailMessage) => Promise<void>

/** One address, local part of RFC 5322 atext and dots, a domain of letters, digits, dots and dashes. */
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/

/** A sender of single messages to `server`; each resolves once the server accepted it (250 after DATA). */
export function smtpMailer (server: SmtpServer): SendMail {
  const transport = createTransport({
    host: server.host,
    port: server.port,
    secure: server.tls === smtpTlsModes.tls,
    requireTLS: server.tls === smtpTlsModes.starttls,
    ignoreTLS: server.tls === smtpTlsModes.none,
    tls: { rejectUnauthorized: true, ...(server.ca === undefined ? {} : { ca: server.ca }) },
    ...(server.user !== undefined && server.password !== undefined ? { auth: { user: server.user, pass: server.password }, authMethod: 'PLAIN' } : {}),
    name: server.clientName,
    connectionTimeout: server.timeoutMs,
    greetingTimeout: server.timeoutMs,
    socketTimeout: server.timeoutMs,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true
  })
  return async message => {
    // One bare address each (the gRPC layer checked the recipient): nodemailer would read a list, a
    // display name or a line break out of a crafted one, and send the code elsewhere.
    for (const [field, value] of [['from', message.from], ['to', message.to]] as const) {
      if (!PLAIN_ADDRESS.test(value)) throw new Error(`the mail's ${field} is not a plain ASCII address`)
    }
    if (!/^[\x20-\x7e]+$/.test(message.subject)) throw new Error('the mail\'s subject is not a plain ASCII line')
    try {
      await transport.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text, messageId: `<${randomUUID()}@smsgw>` })
    } catch (error) {
      throw smtpFailure(error)
    }
  }
}

/** Nodemailer's failure as the step and the reply code, or the connection's error code: never the reply's text. */
function smtpFailure (error: unknown): Error {
  const { code, command, responseCode, originalCode, cause } = error as { code?: string, command?: string, responseCode?: number, originalCode?: string, cause?: { code?: string } }
  const step = stepOf(command)
  if (code === 'ETLS' && command === 'STARTTLS' && typeof responseCode === 'number') return new Error('the SMTP server does not offer STARTTLS')
  if (code === 'ETIMEDOUT') return new Error(`the SMTP server did not answer in time (at ${step})`)
  if (typeof responseCode === 'number') return new Error(`the SMTP server answered ${step} with ${responseCode}`)
  const reason = originalCode ?? cause?.code ?? code ?? 'unknown'
  return new Error(`SMTP connection failed: ${reason} (at ${step})`)
}

/** Nodemailer's `command` (`CONN` for the connection itself, `AUTH PLAIN`, `MAIL FROM`, …) as the step it failed at. */
function stepOf (command: string | undefined): string {
  if (command === undefined || command === 'API') return 'send'
  if (command === 'CONN') return 'connection'
  return command.startsWith('AUTH') ? 'AUTH' : command
}
