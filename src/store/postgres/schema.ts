import type { Pool } from 'pg'
import { schemaNewer } from '../store-errors.ts'
import { advisoryKey } from './advisory-locks.ts'

// The PostgreSQL store's schema, versioned in table smsgw_schema: `migrations[i]` takes a database
// from version i to version i + 1 ("migration n" below is the one that makes version n). Append new migrations at the end and never edit one that
// has shipped. Every table is prefixed `smsgw_`, so the store can share a database (or a
// schema, chosen with the URL's search_path) with other applications.
//
// The tables mirror the SQLite store's (src/store/sqlite/schema.ts), plus the consumer lease:
// - smsgw_requests: the durable queue; `seq` is never reused. `value` is the sealed request;
//   `enqueue_id` names one accepted value, so a retry after a lost connection stores it once.
// - smsgw_statuses: every status reported, as its `sms-status` JSON, oldest first per request;
//   `append_id` names one append, so a retry after a lost connection stores it once.
// - smsgw_ledger: the request ledger's current entries; one row per key.
// - smsgw_correlations: which request an SMSC message id belongs to.
// - smsgw_consumer_lease: one row; `epoch` grows each time an instance becomes the queue's
//   consumer, and marking requests done checks it (docs/embedded-mode.md, "PostgreSQL").
// - smsgw_inbound_sms, smsgw_inbound_duplicate_keys (migration 2): inbound SMS sealed to their
//   owners, and the duplicate keys of those stored lately (docs/inbound-sms.md, "Embedded mode").
// - smsgw_statuses.once_key (migration 3, receipts across crashes): as in the SQLite store.
// - smsgw_relay_entities (migration 5, relay vault accounts): as relay_entities in the SQLite
//   store, plus `write_id`, the id of the last write, so that a compare-and-set retried after a
//   lost connection knows its own committed write (src/store/postgres/relay-table.ts).
// - smsgw_relay_limits (migration 6, the relay vault's rate limits): as relay_limits in the SQLite
//   store. A count retried after a lost connection may count twice: a limit errs towards blocking.
// - smsgw_relay_otps (migration 7, the relay vault's one-time codes): as relay_otps in the SQLite
//   store.
// - smsgw_relay_tokens (migration 8, the platform tokens of relay accounts): as relay_tokens in the
//   SQLite store, going with their account (ON DELETE CASCADE).
// - smsgw_gateway_clients, smsgw_reliability_tests (migration 9, the relay's gateway-client registry): as in the
//   SQLite store, plus a test's `start_id`, so that a start retried after a lost connection
//   stores one test.
// - smsgw_relay_publications (migration 10, the publisher's record of each payload): as relay_publications in
//   the SQLite store.
// - smsgw_relay_forwards, smsgw_relay_segments (migration 11, the relay's ingress): as relay_forwards and
//   relay_segments in the SQLite store.
export const migrations: readonly string[] = [
  `
  CREATE TABLE smsgw_requests (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    value text NOT NULL,
    accepted_at_ms bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('queued', 'done')),
    enqueue_id uuid NOT NULL UNIQUE
  );
  CREATE INDEX smsgw_requests_queued ON smsgw_requests (seq) WHERE state = 'queued';

  CREATE TABLE smsgw_statuses (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id text NOT NULL,
    correl_id text NOT NULL,
    status text NOT NULL,
    reported_at_ms bigint NOT NULL,
    append_id uuid NOT NULL UNIQUE
  );
  CREATE INDEX smsgw_statuses_request ON smsgw_statuses (client_id, correl_id, seq);

  CREATE TABLE smsgw_ledger (
    key text PRIMARY KEY,
    token text NOT NULL,
    source text NOT NULL,
    claimed_at_ms bigint NOT NULL,
    done boolean NOT NULL
  );

  CREATE TABLE smsgw_correlations (
    key text PRIMARY KEY,
    record text NOT NULL,
    stored_at_ms bigint NOT NULL
  );
  CREATE INDEX smsgw_correlations_stored ON smsgw_correlations (stored_at_ms);

  CREATE TABLE smsgw_consumer_lease (
    id integer PRIMARY KEY CHECK (id = 1),
    epoch bigint NOT NULL,
    holder text NOT NULL,
    since_ms bigint NOT NULL
  );
  INSERT INTO smsgw_consumer_lease (id, epoch, holder, since_ms) VALUES (1, 0, '', 0);
  `,
  `
  CREATE TABLE smsgw_inbound_sms (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner text NOT NULL,
    connection text NOT NULL,
    received_at_ms bigint NOT NULL,
    parts integer NOT NULL,
    incomplete boolean NOT NULL,
    sealed text NOT NULL,
    stored_at_ms bigint NOT NULL
  );
  CREATE INDEX smsgw_inbound_sms_owner ON smsgw_inbound_sms (owner, id);

  CREATE TABLE smsgw_inbound_duplicate_keys (
    key text PRIMARY KEY,
    stored_at_ms bigint NOT NULL
  );
  CREATE INDEX smsgw_inbound_duplicate_keys_stored ON smsgw_inbound_duplicate_keys (stored_at_ms);
  `,
  `
  ALTER TABLE smsgw_statuses ADD COLUMN once_key text;
  CREATE UNIQUE INDEX smsgw_statuses_once ON smsgw_statuses (once_key) WHERE once_key IS NOT NULL;
  `,
  // The ledger's `writing` mark (docs/delivery-guarantees.md): whether the claimant marks its
  // writes (entries of earlier versions do not, and are never taken over), and when it did.
  `
  ALTER TABLE smsgw_ledger ADD COLUMN marks_writes boolean NOT NULL DEFAULT false, ADD COLUMN writing_at_ms bigint;
  `,
  `
  CREATE TABLE smsgw_relay_entities (
    entity_id text PRIMARY KEY CHECK (length(entity_id) = 32),
    identifier_hash text NOT NULL UNIQUE CHECK (length(identifier_hash) = 128),
    device_lookup text NOT NULL UNIQUE CHECK (length(device_lookup) = 128),
    password_hash text NOT NULL CHECK (length(password_hash) <= 256),
    country_code bytea NOT NULL CHECK (length(country_code) <= 256),
    server_publish_key_pair bytea NOT NULL CHECK (length(server_publish_key_pair) <= 256),
    server_device_id_key_pair bytea NOT NULL CHECK (length(server_device_id_key_pair) <= 256),
    client_publish_public_key bytea NOT NULL CHECK (length(client_publish_public_key) <= 256),
    client_device_id_public_key bytea NOT NULL CHECK (length(client_device_id_public_key) <= 256),
    device_id bytea NOT NULL CHECK (length(device_id) <= 256),
    ratchet_state bytea NOT NULL CHECK (length(ratchet_state) <= 49152),
    state_version bigint NOT NULL,
    created_at_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL,
    write_id uuid NOT NULL
  );
  `,
  `
  CREATE TABLE smsgw_relay_limits (
    limit_key text PRIMARY KEY CHECK (length(limit_key) = 128),
    count bigint NOT NULL,
    blocked_until_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL
  );
  `,
  `
  CREATE TABLE smsgw_relay_otps (
    otp_key text PRIMARY KEY CHECK (length(otp_key) = 128),
    purpose text NOT NULL CHECK (length(purpose) <= 32),
    code_hash text CHECK (length(code_hash) = 128),
    expires_at_ms bigint NOT NULL,
    attempts bigint NOT NULL
  );
  `,
  `
  CREATE TABLE smsgw_relay_tokens (
    entity_id text NOT NULL REFERENCES smsgw_relay_entities (entity_id) ON DELETE CASCADE,
    platform text NOT NULL CHECK (length(platform) BETWEEN 1 AND 32),
    account_lookup text NOT NULL CHECK (length(account_lookup) = 128),
    account_identifier bytea NOT NULL CHECK (length(account_identifier) <= 1024),
    token bytea NOT NULL CHECK (length(token) <= 17408),
    created_at_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL,
    PRIMARY KEY (entity_id, platform, account_lookup)
  );
  `,
  `
  CREATE TABLE smsgw_gateway_clients (
    msisdn text PRIMARY KEY CHECK (octet_length(msisdn) <= 16),
    country text NOT NULL CHECK (octet_length(country) <= 64),
    operator text NOT NULL CHECK (octet_length(operator) <= 64),
    operator_code text NOT NULL CHECK (octet_length(operator_code) <= 6),
    protocols text NOT NULL CHECK (octet_length(protocols) <= 64),
    reliability_hundredths integer NOT NULL CHECK (reliability_hundredths BETWEEN 0 AND 10000),
    last_published_at_ms bigint NOT NULL,
    forwarder_key_digest text UNIQUE CHECK (length(forwarder_key_digest) = 64)
  );

  CREATE TABLE smsgw_reliability_tests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    msisdn text NOT NULL REFERENCES smsgw_gateway_clients (msisdn) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('pending', 'running', 'success', 'timedout')),
    start_time_ms bigint NOT NULL,
    sms_sent_time_ms bigint,
    sms_received_time_ms bigint,
    sms_routed_time_ms bigint,
    start_id uuid NOT NULL UNIQUE
  );
  CREATE INDEX smsgw_reliability_tests_client ON smsgw_reliability_tests (msisdn, id);
  CREATE INDEX smsgw_reliability_tests_open ON smsgw_reliability_tests (start_time_ms) WHERE status IN ('pending', 'running');
  `,
  `
  CREATE TABLE smsgw_relay_publications (
    publication_key text PRIMARY KEY CHECK (length(publication_key) = 128),
    state text NOT NULL CHECK (state IN ('publishing', 'published', 'failed')),
    platform text NOT NULL CHECK (length(platform) <= 32),
    response text NOT NULL CHECK (length(response) <= 1024),
    code integer NOT NULL,
    created_at_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL
  );
  CREATE INDEX smsgw_relay_publications_by_state ON smsgw_relay_publications (state, created_at_ms);
  `,
  `
  CREATE TABLE smsgw_relay_forwards (
    forward_id text PRIMARY KEY CHECK (length(forward_id) = 32),
    sealed bytea NOT NULL CHECK (length(sealed) <= 98304),
    due_at_ms bigint NOT NULL,
    attempts integer NOT NULL
  );
  CREATE INDEX smsgw_relay_forwards_due ON smsgw_relay_forwards (due_at_ms);

  CREATE TABLE smsgw_relay_segments (
    session_key text NOT NULL CHECK (length(session_key) = 128),
    segment integer NOT NULL CHECK (segment BETWEEN 0 AND 255),
    sender_key text NOT NULL CHECK (length(sender_key) = 128),
    total integer NOT NULL,
    image_length integer NOT NULL,
    sealed bytea NOT NULL CHECK (length(sealed) <= 98304),
    stored_at_ms bigint NOT NULL,
    PRIMARY KEY (session_key, segment)
  );
  CREATE INDEX smsgw_relay_segments_sender ON smsgw_relay_segments (sender_key);
  CREATE INDEX smsgw_relay_segments_stored ON smsgw_relay_segments (stored_at_ms);
  `
]

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = migrations.length

/**
 * Brings the database to SCHEMA_VERSION in one transaction and returns the version it found.
 * An advisory lock makes instances starting together migrate it once. Throws when the database
 * is newer than this code (a later smsgw wrote it): reading it could lose what that version
 * stores.
 */
export async function migrate (pool: Pool): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(`SELECT pg_advisory_xact_lock(${advisoryKey('migration')})`)
    await client.query('CREATE TABLE IF NOT EXISTS smsgw_schema (version integer NOT NULL)')
    const { rows } = await client.query<{ version: number }>('SELECT version FROM smsgw_schema')
    const found = rows[0]?.version ?? 0
    if (found > SCHEMA_VERSION) throw schemaNewer(found, SCHEMA_VERSION)
    for (const migration of migrations.slice(found)) await client.query(migration)
    if (rows.length === 0) await client.query('INSERT INTO smsgw_schema (version) VALUES ($1)', [SCHEMA_VERSION])
    else await client.query('UPDATE smsgw_schema SET version = $1', [SCHEMA_VERSION])
    await client.query('COMMIT')
    return found
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
