/** relay.smtpTls: STARTTLS after EHLO, TLS from the start, or plaintext (src/relay/otp/smtp-mailer.ts). */
export const smtpTlsModes = { starttls: 'starttls', tls: 'tls', none: 'none' } as const
export type SmtpTlsMode = typeof smtpTlsModes[keyof typeof smtpTlsModes]
export const allowedSmtpTlsModes: readonly SmtpTlsMode[] = Object.values(smtpTlsModes)
