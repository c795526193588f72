import type { DatabaseSync } from 'node:sqlite'
import { schemaNewer } from '../store-errors.ts'

// The embedded store's schema, versioned with SQLite's `PRAGMA user_version`: `migrations[i]` takes
// a database from version i to version i + 1 ("migration n" below is the one that makes version
// n). Append new migrations at the end and never edit
// one that has shipped: databases in the field have already run it.
//
// - requests: the durable queue. `seq` is AUTOINCREMENT so a seq is never reused, not even after
//   the newest rows were pruned: a seq names one request for as long as the file lives. `value`
//   is the sealed request JSON (spec §2) as accepted; it holds no plaintext.
// - statuses: every status reported, as its `sms-status` JSON (spec §4), oldest first per request.
// - ledger: the request ledger's current entries (docs/delivery-guarantees.md); one row per key.
// - correlations: which request an SMSC message id belongs to; the value of a `correl-id` record.
// - inbound_sms (migration 2): mobile-originated SMS, each sealed to the client owning its
//   recipient (src/domain/stored-inbound.ts); no sender, recipient or text in the clear.
// - inbound_duplicate_keys (migration 2): a keyed digest per message stored lately, so an SMSC's
//   re-delivery is stored once (docs/inbound-sms.md, "De-duplication").
// - statuses.once_key (migration 3, receipts across crashes): statusOnceKey of a status with a recall-id, so
//   a receipt re-sent after a crash, or a SENT reported by the receipt and by the submitter,
//   is stored once.
// - relay_entities (migration 5, relay vault accounts, relay.md §7): identifiers only as HMAC
//   digests, every other sensitive field sealed (docs/relay.md, "What is stored and how it is
//   sealed"); `state_version` is the compare-and-set of every change (src/store/relay-accounts.ts).
//   A rowid table: a row with a ratchet state runs to kilobytes, too wide for WITHOUT ROWID.
// - relay_limits (migration 6, the relay vault's rate limits, relay.md §7): a count and a block
//   time per keyed digest of a purpose and an identifier (src/store/relay-limits.ts).
// - relay_otps (migration 7, the relay vault's one-time codes, relay.md §2): per keyed digest of an
//   identifier, the action asked for, a keyed digest of the code (NULL once invalidated), its
//   expiry and the verifications tried (src/store/relay-otps.ts).
// - relay_tokens (migration 8, the platform tokens of relay accounts, relay-wire.md §2): per
//   account, platform and keyed digest of the platform account's identifier, that identifier and
//   the token JSON sealed (src/store/relay-tokens.ts). Rows go with their account (ON DELETE
//   CASCADE; node:sqlite enforces foreign keys by default).
// - gateway_clients, reliability_tests (migration 9, the relay's gateway-client registry, relay.md §5;
//   src/store/gateway-clients.ts): a client's msisdn is the public number of a gateway phone, kept
//   in the clear as GET /v3/clients serves it; its forwarding key only as a SHA-256 digest. Each
//   text bounded in bytes. Tests go with their client (deleted with it by the table's code).
// - relay_publications (migration 10, the publisher's record of each payload, relay.md §6): per keyed digest of
//   the payload, its state (publishing, published, failed), the platform's name and the answer
//   given (src/store/relay-publications.ts); no content, token or number.
// - relay_forwards, relay_segments (migration 11, the relay's ingress, docs/relay.md "Ingress"): forwards
//   accepted and not yet handed to the publisher, sealed whole under a random id, with the time
//   their holder's turn ends; image-text segments by keyed digests of sender and session, their
//   content sealed (src/store/relay-ingress.ts).
export const migrations: readonly string[] = [
  `
  CREATE TABLE requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    value TEXT NOT NULL,
    accepted_at_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'done'))
  );
  CREATE INDEX requests_queued ON requests (seq) WHERE state = 'queued';

  CREATE TABLE statuses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL,
    correl_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reported_at_ms INTEGER NOT NULL
  );
  CREATE INDEX statuses_request ON statuses (client_id, correl_id, seq);

  CREATE TABLE ledger (
    key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    source TEXT NOT NULL,
    claimed_at_ms INTEGER NOT NULL,
    done INTEGER NOT NULL CHECK (done IN (0, 1))
  ) WITHOUT ROWID;

  CREATE TABLE correlations (
    key TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    stored_at_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX correlations_stored ON correlations (stored_at_ms);
  `,
  `
  CREATE TABLE inbound_sms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    connection TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    incomplete INTEGER NOT NULL CHECK (incomplete IN (0, 1)),
    sealed TEXT NOT NULL,
    stored_at_ms INTEGER NOT NULL
  );
  CREATE INDEX inbound_sms_owner ON inbound_sms (owner, id);

  CREATE TABLE inbound_duplicate_keys (
    key TEXT PRIMARY KEY,
    stored_at_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX inbound_duplicate_keys_stored ON inbound_duplicate_keys (stored_at_ms);
  `,
  `
  ALTER TABLE statuses ADD COLUMN once_key TEXT;
  CREATE UNIQUE INDEX statuses_once ON statuses (once_key) WHERE once_key IS NOT NULL;
  `,
  // The ledger's `writing` mark (docs/delivery-guarantees.md): whether the claimant marks its
  // writes (entries of earlier versions do not, and are never taken over), and when it did.
  `
  ALTER TABLE ledger ADD COLUMN marks_writes INTEGER NOT NULL DEFAULT 0 CHECK (marks_writes IN (0, 1));
  ALTER TABLE ledger ADD COLUMN writing_at_ms INTEGER;
  `,
  `
  CREATE TABLE relay_entities (
    entity_id TEXT PRIMARY KEY CHECK (length(entity_id) = 32),
    identifier_hash TEXT NOT NULL UNIQUE CHECK (length(identifier_hash) = 128),
    device_lookup TEXT NOT NULL UNIQUE CHECK (length(device_lookup) = 128),
    password_hash TEXT NOT NULL CHECK (length(password_hash) <= 256),
    country_code BLOB NOT NULL CHECK (length(country_code) <= 256),
    server_publish_key_pair BLOB NOT NULL CHECK (length(server_publish_key_pair) <= 256),
    server_device_id_key_pair BLOB NOT NULL CHECK (length(server_device_id_key_pair) <= 256),
    client_publish_public_key BLOB NOT NULL CHECK (length(client_publish_public_key) <= 256),
    client_device_id_public_key BLOB NOT NULL CHECK (length(client_device_id_public_key) <= 256),
    device_id BLOB NOT NULL CHECK (length(device_id) <= 256),
    ratchet_state BLOB NOT NULL CHECK (length(ratchet_state) <= 49152),
    state_version INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE relay_limits (
    limit_key TEXT PRIMARY KEY CHECK (length(limit_key) = 128),
    count INTEGER NOT NULL,
    blocked_until_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE relay_otps (
    otp_key TEXT PRIMARY KEY CHECK (length(otp_key) = 128),
    purpose TEXT NOT NULL CHECK (length(purpose) <= 32),
    code_hash TEXT CHECK (length(code_hash) = 128),
    expires_at_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE relay_tokens (
    entity_id TEXT NOT NULL REFERENCES relay_entities (entity_id) ON DELETE CASCADE,
    platform TEXT NOT NULL CHECK (length(platform) BETWEEN 1 AND 32),
    account_lookup TEXT NOT NULL CHECK (length(account_lookup) = 128),
    account_identifier BLOB NOT NULL CHECK (length(account_identifier) <= 1024),
    token BLOB NOT NULL CHECK (length(token) <= 17408),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (entity_id, platform, account_lookup)
  );
  `,
  `
  CREATE TABLE gateway_clients (
    msisdn TEXT PRIMARY KEY CHECK (length(CAST(msisdn AS BLOB)) <= 16),
    country TEXT NOT NULL CHECK (length(CAST(country AS BLOB)) <= 64),
    operator TEXT NOT NULL CHECK (length(CAST(operator AS BLOB)) <= 64),
    operator_code TEXT NOT NULL CHECK (length(CAST(operator_code AS BLOB)) <= 6),
    protocols TEXT NOT NULL CHECK (length(CAST(protocols AS BLOB)) <= 64),
    reliability_hundredths INTEGER NOT NULL CHECK (reliability_hundredths BETWEEN 0 AND 10000),
    last_published_at_ms INTEGER NOT NULL,
    forwarder_key_digest TEXT UNIQUE CHECK (length(forwarder_key_digest) = 64)
  ) WITHOUT ROWID;

  CREATE TABLE reliability_tests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    msisdn TEXT NOT NULL REFERENCES gateway_clients (msisdn),
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'success', 'timedout')),
    start_time_ms INTEGER NOT NULL,
    sms_sent_time_ms INTEGER,
    sms_received_time_ms INTEGER,
    sms_routed_time_ms INTEGER
  );
  CREATE INDEX reliability_tests_client ON reliability_tests (msisdn, id);
  CREATE INDEX reliability_tests_open ON reliability_tests (start_time_ms) WHERE status IN ('pending', 'running');
  `,
  `
  CREATE TABLE relay_publications (
    publication_key TEXT PRIMARY KEY CHECK (length(publication_key) = 128),
    state TEXT NOT NULL CHECK (state IN ('publishing', 'published', 'failed')),
    platform TEXT NOT NULL CHECK (length(platform) <= 32),
    response TEXT NOT NULL CHECK (length(response) <= 1024),
    code INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  CREATE INDEX relay_publications_by_state ON relay_publications (state, created_at_ms);
  `,
  `
  CREATE TABLE relay_forwards (
    forward_id TEXT PRIMARY KEY CHECK (length(forward_id) = 32),
    sealed BLOB NOT NULL CHECK (length(sealed) <= 98304),
    due_at_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL
  );
  CREATE INDEX relay_forwards_due ON relay_forwards (due_at_ms);

  CREATE TABLE relay_segments (
    session_key TEXT NOT NULL CHECK (length(session_key) = 128),
    segment INTEGER NOT NULL CHECK (segment BETWEEN 0 AND 255),
    sender_key TEXT NOT NULL CHECK (length(sender_key) = 128),
    total INTEGER NOT NULL,
    image_length INTEGER NOT NULL,
    sealed BLOB NOT NULL CHECK (length(sealed) <= 98304),
    stored_at_ms INTEGER NOT NULL,
    PRIMARY KEY (session_key, segment)
  );
  CREATE INDEX relay_segments_sender ON relay_segments (sender_key);
  CREATE INDEX relay_segments_stored ON relay_segments (stored_at_ms);
  `
]

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = migrations.length

/**
 * Brings the database to SCHEMA_VERSION, one migration per transaction, and returns the version
 * it found. The version is read again inside each write transaction, so two processes opening a
 * new file at once migrate it once. Throws when the file is newer than this code (a later smsgw
 * wrote it): reading it could lose what that version stores.
 */
export function migrate (db: DatabaseSync): number {
  const found = userVersion(db)
  for (;;) {
    db.exec('BEGIN IMMEDIATE')
    try {
      const version = userVersion(db)
      if (version > SCHEMA_VERSION) throw schemaNewer(version, SCHEMA_VERSION)
      if (version === SCHEMA_VERSION) {
        db.exec('COMMIT')
        return found
      }
      db.exec(migrations[version] as string)
      // PRAGMA takes no bound parameters; the version is an integer we computed.
      db.exec(`PRAGMA user_version = ${version + 1}`)
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}

function userVersion (db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get()
  return Number(row?.user_version ?? 0)
}
