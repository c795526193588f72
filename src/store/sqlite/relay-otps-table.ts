import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import { deleteInChunks } from '../retention.ts'
import { checkOtpDigest, MAX_OTP_PURPOSE_CHARS, type NewRelayOtp, type RelayOtp, type RelayOtpStore } from '../relay-otps.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/** The relay vault's one-time codes (table relay_otps, src/store/relay-otps.ts); writes in the group commit. */
export class RelayOtpsTable implements RelayOtpStore {
  readonly #commit: GroupCommit
  readonly #select: StatementSync
  readonly #put: StatementSync
  readonly #countAttempt: StatementSync
  readonly #invalidate: StatementSync
  readonly #consume: StatementSync
  readonly #prune: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#select = db.prepare('SELECT purpose, code_hash, expires_at_ms, attempts FROM relay_otps WHERE otp_key = ?')
    this.#put = db.prepare(`INSERT INTO relay_otps (otp_key, purpose, code_hash, expires_at_ms, attempts) VALUES (?, ?, ?, ?, 0)
      ON CONFLICT (otp_key) DO UPDATE SET purpose = excluded.purpose, code_hash = excluded.code_hash, expires_at_ms = excluded.expires_at_ms, attempts = 0`)
    this.#countAttempt = db.prepare('UPDATE relay_otps SET attempts = attempts + 1 WHERE otp_key = ? AND code_hash = ? RETURNING attempts')
    this.#invalidate = db.prepare('UPDATE relay_otps SET code_hash = NULL WHERE otp_key = ? AND code_hash = ?')
    this.#consume = db.prepare('DELETE FROM relay_otps WHERE otp_key = ? AND code_hash = ?')
    this.#prune = db.prepare('DELETE FROM relay_otps WHERE otp_key IN (SELECT otp_key FROM relay_otps WHERE expires_at_ms < ? LIMIT ?)')
  }

  get (key: string): RelayOtp | undefined {
    const row = this.#select.get(key)
    return row === undefined ? undefined : otpOf(row)
  }

  async put (key: string, otp: NewRelayOtp): Promise<void> {
    checkOtpDigest(key)
    checkOtpDigest(otp.codeHash)
    if (otp.purpose.length > MAX_OTP_PURPOSE_CHARS) throw new RangeError(`an OTP purpose has at most ${MAX_OTP_PURPOSE_CHARS} characters`)
    await this.#commit.run(() => { this.#put.run(key, otp.purpose, otp.codeHash, otp.expiresAtMs) })
  }

  async countAttempt (key: string, codeHash: string): Promise<number | undefined> {
    return await this.#commit.run(() => {
      const row = this.#countAttempt.get(key, codeHash)
      return row === undefined ? undefined : integerColumn(row, 'attempts')
    })
  }

  async invalidate (key: string, codeHash: string): Promise<void> {
    await this.#commit.run(() => { this.#invalidate.run(key, codeHash) })
  }

  async consume (key: string, codeHash: string): Promise<boolean> {
    return await this.#commit.run(() => Number(this.#consume.run(key, codeHash).changes) === 1)
  }

  async prune (cutoffMs: number): Promise<number> {
    return await deleteInChunks(async limit => await this.#commit.run(() => Number(this.#prune.run(cutoffMs, limit).changes)))
  }
}

function otpOf (row: Record<string, SQLOutputValue>): RelayOtp {
  return {
    purpose: textColumn(row, 'purpose'),
    codeHash: row.code_hash === null ? undefined : textColumn(row, 'code_hash'),
    expiresAtMs: integerColumn(row, 'expires_at_ms'),
    attempts: integerColumn(row, 'attempts')
  }
}
