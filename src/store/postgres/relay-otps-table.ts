import { deleteInChunks } from '../retention.ts'
import { checkOtpDigest, MAX_OTP_PURPOSE_CHARS, type NewRelayOtp, type RelayOtp, type RelayOtpStore } from '../relay-otps.ts'
import type { RetryingPool } from './retrying-pool.ts'

/**
 * The relay vault's one-time codes in PostgreSQL (table smsgw_relay_otps, src/store/relay-otps.ts).
 * Each change is one statement, so its row lock orders instances verifying one code at once.
 */
export class PostgresRelayOtpsTable implements RelayOtpStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async get (key: string): Promise<RelayOtp | undefined> {
    const { rows } = await this.#pool.query<{ purpose: string, code_hash: string | null, expires_at_ms: string, attempts: string }>('SELECT purpose, code_hash, expires_at_ms, attempts FROM smsgw_relay_otps WHERE otp_key = $1', [key])
    const row = rows[0]
    return row === undefined ? undefined : { purpose: row.purpose, codeHash: row.code_hash ?? undefined, expiresAtMs: Number(row.expires_at_ms), attempts: Number(row.attempts) }
  }

  async put (key: string, otp: NewRelayOtp): Promise<void> {
    checkOtpDigest(key)
    checkOtpDigest(otp.codeHash)
    if (otp.purpose.length > MAX_OTP_PURPOSE_CHARS) throw new RangeError(`an OTP purpose has at most ${MAX_OTP_PURPOSE_CHARS} characters`)
    await this.#pool.query(
      `INSERT INTO smsgw_relay_otps (otp_key, purpose, code_hash, expires_at_ms, attempts) VALUES ($1, $2, $3, $4, 0)
       ON CONFLICT (otp_key) DO UPDATE SET purpose = excluded.purpose, code_hash = excluded.code_hash, expires_at_ms = excluded.expires_at_ms, attempts = 0`,
      [key, otp.purpose, otp.codeHash, otp.expiresAtMs])
  }

  /** A statement retried after a lost connection may count twice: a limit errs towards refusing. */
  async countAttempt (key: string, codeHash: string): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ attempts: string }>('UPDATE smsgw_relay_otps SET attempts = attempts + 1 WHERE otp_key = $1 AND code_hash = $2 RETURNING attempts', [key, codeHash])
    const row = rows[0]
    return row === undefined ? undefined : Number(row.attempts)
  }

  async invalidate (key: string, codeHash: string): Promise<void> {
    await this.#pool.query('UPDATE smsgw_relay_otps SET code_hash = NULL WHERE otp_key = $1 AND code_hash = $2', [key, codeHash])
  }

  async consume (key: string, codeHash: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM smsgw_relay_otps WHERE otp_key = $1 AND code_hash = $2', [key, codeHash])
    return rowCount === 1
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => {
      const { rowCount } = await this.#pool.query('DELETE FROM smsgw_relay_otps WHERE otp_key IN (SELECT otp_key FROM smsgw_relay_otps WHERE expires_at_ms < $1 LIMIT $2)', [cutoffMs, limit])
      return rowCount ?? 0
    })
  }
}
