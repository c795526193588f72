import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { after } from 'node:test'
import type { SmtpTlsMode } from '../../../src/config/smtp-tls-modes.ts'

// A real SMTP server on loopback for the e-mail OTP tests. No SMTP server package is in
// node_modules (nor nodemailer's smtp-server), none is installed from Debian (no exim4, postfix,
// msmtp; python3-aiosmtpd is not installed), so the most real one here is Python 3.11's standard
// smtpd (/usr/bin/python3 from Debian's python3.11), run by smtp-server.py with AUTH PLAIN and
// STARTTLS added on its channel. The client under test is ours, unchanged.

const PYTHON = '/usr/bin/python3'
const SCRIPT = new URL('smtp-server.py', import.meta.url).pathname

export interface ReceivedMail {
  readonly from: string
  readonly to: string[]
  /** The message as the server stored it: dot-stuffing undone, line feeds. */
  readonly data: string
  readonly tls: boolean
}

export interface PythonSmtpServer {
  readonly port: number
  /** Resolves with the next message the server accepts. */
  nextMail: () => Promise<ReceivedMail>
  close: () => Promise<void>
}

export interface SmtpServerOptions {
  readonly mode: SmtpTlsMode
  readonly user?: string
  readonly password?: string
  /** For `starttls` and `tls`: PEM files of the server's certificate and key. */
  readonly certFile?: string
  readonly keyFile?: string
}

export async function startPythonSmtpServer (options: SmtpServerOptions): Promise<PythonSmtpServer> {
  const args = ['-W', 'ignore::DeprecationWarning', SCRIPT, options.mode]
  if (options.user !== undefined) args.push(options.user, options.password ?? '')
  if (options.certFile !== undefined && options.keyFile !== undefined) args.push(options.certFile, options.keyFile)
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const mails: ReceivedMail[] = []
  const waiting: Array<(mail: ReceivedMail) => void> = []
  let ready: (port: number) => void = () => {}
  const port = new Promise<number>((resolve, reject) => {
    ready = resolve
    child.once('exit', code => { reject(new Error(`the SMTP server exited (${code})`)) })
  })
  lines.on('line', line => {
    if (line.startsWith('READY ')) {
      ready(Number(line.slice(6)))
      return
    }
    const mail = JSON.parse(line) as ReceivedMail
    const next = waiting.shift()
    if (next === undefined) mails.push(mail)
    else next(mail)
  })
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
  after(close)
  return {
    port: await port,
    nextMail: async () => {
      const mail = mails.shift()
      if (mail !== undefined) return mail
      return await new Promise(resolve => { waiting.push(resolve) })
    },
    close
  }
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
