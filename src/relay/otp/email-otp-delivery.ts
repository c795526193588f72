import { OTP_LIFETIME_MS } from '../vault/otp-rules.ts'
import type { OtpDelivery } from './otp-delivery.ts'
import { smtpMailer, type SmtpServer } from './smtp-mailer.ts'

// The e-mail OTP of relay.md §2 over SMTP (smtp-mailer.ts, nodemailer). Upstream hands its code to an HTTP
// mail service with a template of its own; the subject is upstream's default
// ("{{ project_name }} Verification Code" with RelaySMS), the text a plain one of ours that says
// the same: the code, and when it expires.

export const OTP_MAIL_SUBJECT = 'RelaySMS Verification Code'

export function otpMailText (code: string, expiresAtMs: number): string {
  const minutes = Math.round(OTP_LIFETIME_MS / 60_000)
  const at = new Date(expiresAtMs).toISOString().slice(0, 16).replace('T', ' ')
  return [
    `Your RelaySMS Verification Code is: ${code}`,
    '',
    `It expires in ${minutes} minutes (${at} UTC).`,
    'If you did not ask for it, ignore this e-mail: without the code nobody can use your address.',
    ''
  ].join('\n')
}

export interface EmailOtpOptions {
  readonly server: SmtpServer
  /** The sender's address (relay.smtpFrom). */
  readonly from: string
}

/** One mail per code, over one SMTP connection; resolves once the server accepted it. */
export function emailOtpDelivery (options: EmailOtpOptions): OtpDelivery {
  const sendMail = smtpMailer(options.server)
  return {
    deliver: async (recipient, code, expiresAtMs) => {
      await sendMail({ from: options.from, to: recipient, subject: OTP_MAIL_SUBJECT, text: otpMailText(code, expiresAtMs) })
    }
  }
}
