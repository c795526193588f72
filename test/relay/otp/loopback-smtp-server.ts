import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { promisify } from 'node:util'
import { SMTPServer } from 'smtp-server'
import type { SmtpTlsMode } from '../../../src/config/smtp-tls-modes.ts'

// A real SMTP server on loopback for the e-mail OTP tests: nodemailer's `smtp-server` package, in
// this process on port 0, in the mode under test: plaintext without STARTTLS, STARTTLS offered, or
// TLS from the start, with AUTH PLAIN checked when it has a user. It hands each accepted message
// to the test, parsed: envelope, headers, and the text body decoded.

export interface ReceivedMail {
  /** The envelope (MAIL FROM, RCPT TO). */
  readonly from: string
  readonly to: string[]
  /** The headers, by lower-case name, folded lines joined. */
  readonly headers: ReadonlyMap<string, string>
  /** The text body, decoded (7bit or quoted-printable), with line feeds. */
  readonly text: string
  /** Whether the message came over TLS (from the start, or after STARTTLS). */
  readonly tls: boolean
  /** The mechanism and user of AUTH, when the client authenticated. */
  readonly auth: { readonly method: string, readonly user: string } | undefined
}

export interface LoopbackSmtpServer {
  readonly port: number
  /** Resolves with the next message the server accepts. */
  nextMail: () => Promise<ReceivedMail>
  close: () => Promise<void>
}

export interface LoopbackSmtpOptions {
  /** `none`: no STARTTLS offered; `starttls`: offered (needs the certificate); `tls`: TLS from the start (needs it too). */
  readonly mode: SmtpTlsMode
  /** With a user: AUTH PLAIN required before MAIL (and refused before STARTTLS, in `starttls` mode). */
  readonly user?: string
  readonly password?: string
  readonly certificate?: { readonly certFile: string, readonly keyFile: string }
}

export async function startLoopbackSmtpServer (options: LoopbackSmtpOptions): Promise<LoopbackSmtpServer> {
  const mails: ReceivedMail[] = []
  const waiting: Array<(mail: ReceivedMail) => void> = []
  const tlsFiles = options.certificate === undefined
    ? {}
    : { cert: await readFile(options.certificate.certFile), key: await readFile(options.certificate.keyFile) }
  const server = new SMTPServer({
    ...tlsFiles,
    secure: options.mode === 'tls',
    logger: false,
    disabledCommands: [...(options.mode === 'none' ? ['STARTTLS'] : []), ...(options.user === undefined ? ['AUTH'] : [])],
    authMethods: ['PLAIN'],
    authOptional: options.user === undefined,
    onAuth: (auth, _session, callback) => {
      if (auth.method === 'PLAIN' && auth.username === options.user && auth.password === options.password) {
        callback(null, { user: `${auth.method} ${auth.username}` })
        return
      }
      callback(new Error('Invalid username or password'))
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      stream.on('end', () => {
        const [method, user] = typeof session.user === 'string' ? session.user.split(' ', 2) as [string, string] : []
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map(recipient => recipient.address),
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
          tls: session.secure,
          auth: method === undefined || user === undefined ? undefined : { method, user }
        }
        const next = waiting.shift()
        if (next === undefined) mails.push(mail)
        else next(mail)
        callback()
      })
    }
  })
  // A client that refuses the certificate closes in the TLS handshake: the server reports that as
  // an 'error' event, which is the test's expected outcome, not a failure of the server.
  server.on('error', () => {})
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  let closed: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closed ??= new Promise(resolve => { server.close(() => { resolve() }) })
    await closed
  }
  after(close)
  return {
    port: (server.server.address() as AddressInfo).port,
    nextMail: async () => {
      const mail = mails.shift()
      if (mail !== undefined) return mail
      return await new Promise(resolve => { waiting.push(resolve) })
    },
    close
  }
}

/** RFC 5322 headers (unfolded) and the text body, decoded as its Content-Transfer-Encoding says. */
function parseMessage (raw: string): { headers: Map<string, string>, text: string } {
  const end = raw.indexOf('\r\n\r\n')
  const head = end === -1 ? raw : raw.slice(0, end)
  // The CRLF before the final "." ends the last line (RFC 5321 §4.1.1.4); it is not part of the text.
  const body = end === -1 ? '' : raw.slice(end + 4).replace(/\r\n$/, '')
  const headers = new Map<string, string>()
  for (const field of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = field.indexOf(':')
    headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim())
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const decoded = encoding === 'quoted-printable'
    ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
    : body
  return { headers, text: decoded.replace(/\r\n/g, '\n') }
}

/** The address of a From or To header: `Name <a@b>` or a bare `a@b`. */
export function addressOf (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  return /<([^>]*)>/.exec(header)?.[1] ?? header.trim()
}

/** A self-signed certificate for 127.0.0.1 (openssl), its PEM files and the certificate's text. */
export async function loopbackCertificate (): Promise<{ certFile: string, keyFile: string, cert: Buffer }> {
  const folder = await mkdtemp(join(tmpdir(), 'smsgw-smtp-'))
  after(async () => { await rm(folder, { recursive: true, force: true }) })
  const certFile = join(folder, 'cert.pem')
  const keyFile = join(folder, 'key.pem')
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'])
  return { certFile, keyFile, cert: await readFile(certFile) }
}
