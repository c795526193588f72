import { relayEnvironments } from './relay-environments.ts'
import type { ConfigIssue, MergedLayers, PlainObject } from './config-layer.ts'
import { isPlainObject } from './config-layer.ts'
import { MAX_CLIENT_ID_BYTES, idProblem } from '../domain/request-ids.ts'

/** Settings that exclude each other: giving both is an error naming both. */
const exclusiveSettings: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['vault', 'password'], ['vault', 'passwordFile']],
  [['relay', 'sealingKey'], ['relay', 'sealingKeyFile']]
]

function valueAt (root: PlainObject, path: readonly string[]): unknown {
  let value: unknown = root
  for (const name of path) value = isPlainObject(value) ? value[name] : undefined
  return value
}

function checkExclusive (merged: MergedLayers): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const [first, second] of exclusiveSettings) {
    if (valueAt(merged.values, first) === undefined || valueAt(merged.values, second) === undefined) continue
    const [firstName, secondName] = [first.join('.'), second.join('.')]
    issues.push({
      path: firstName,
      problem: `excludes ${secondName}; give only one of them ` +
        `(${firstName} from ${merged.sourceOf(first)}, ${secondName} from ${merged.sourceOf(second)})`
    })
  }
  return issues
}

/**
 * Each topic has one role: statuses written to the request topic would come back as requests,
 * and the compacted topics would lose records to each other.
 */
function checkDistinctTopics (merged: MergedLayers): ConfigIssue[] {
  const topics = valueAt(merged.values, ['kafka', 'topics'])
  if (!isPlainObject(topics)) return []
  const issues: ConfigIssue[] = []
  const firstWithName = new Map<unknown, string>()
  for (const [role, topic] of Object.entries(topics)) {
    const earlier = firstWithName.get(topic)
    if (earlier === undefined) {
      firstWithName.set(topic, role)
      continue
    }
    issues.push({
      path: `kafka.topics.${role}`,
      problem: `must differ from kafka.topics.${earlier} (from ${merged.sourceOf(['kafka', 'topics', earlier])}), ` +
        `both are ${JSON.stringify(topic)}`,
      source: merged.sourceOf(['kafka', 'topics', role])
    })
  }
  return issues
}

/** Number patterns must compile, and connection names must tell the connections apart. */
function checkSmscConnections (merged: MergedLayers): ConfigIssue[] {
  const smpp = valueAt(merged.values, ['smpp'])
  if (!isPlainObject(smpp)) return []
  const extra = Array.isArray(smpp.connections) ? smpp.connections.filter(isPlainObject) : []
  const issues: ConfigIssue[] = []
  const names = new Set<unknown>([smpp.name])
  extra.forEach((connection, index) => {
    const path = `smpp.connections.${index}`
    if (typeof connection.name !== 'string' || connection.name === '') issues.push({ path: `${path}.name`, problem: 'is required for every extra connection' })
    else if (names.has(connection.name)) issues.push({ path: `${path}.name`, problem: `must differ from the other connections' names, got ${JSON.stringify(connection.name)}` })
    names.add(connection.name)
  })
  for (const [path, pattern] of [['smpp.numberPattern', smpp.numberPattern], ...extra.map((connection, index) => [`smpp.connections.${index}.numberPattern`, connection.numberPattern])]) {
    if (typeof pattern !== 'string' || pattern === '') continue
    try {
      RegExp(pattern)
    } catch (error) {
      issues.push({ path: String(path), problem: `is not a regular expression: ${(error as Error).message}` })
    }
  }
  return issues
}

/**
 * An allowed client-id must be one a request can carry (request-ids.ts): the HTTP API refuses
 * any other with a 400, so such a client could never send.
 */
function checkAllowedClients (merged: MergedLayers): ConfigIssue[] {
  const allowed = valueAt(merged.values, ['clients', 'allowed'])
  if (!Array.isArray(allowed)) return []
  const issues: ConfigIssue[] = []
  allowed.forEach((clientId: unknown, index) => {
    const problem = typeof clientId === 'string' ? idProblem(clientId, MAX_CLIENT_ID_BYTES) : undefined
    if (problem === undefined) return
    issues.push({
      path: `clients.allowed.${index}`,
      problem: `${problem}: a client-id must fit a request (docs/http-api.md, "Limits")`,
      source: merged.sourceOf(['clients', 'allowed'])
    })
  })
  return issues
}

/**
 * relay.md §2 (ours): a fixed OTP code is for development only; a production vault given one
 * refuses to start rather than let anyone who knows the code own the test identifiers.
 */
function checkRelayDevelopmentOtp (merged: MergedLayers): ConfigIssue[] {
  const relay = valueAt(merged.values, ['relay'])
  if (!isPlainObject(relay) || relay.environment === relayEnvironments.development) return []
  const given = ['otpDevelopmentCode', 'otpDevelopmentIdentifiers'].filter(name => relay[name] !== undefined && !(Array.isArray(relay[name]) && relay[name].length === 0))
  return given.map(name => ({
    path: `relay.${name}`,
    problem: `is for development only: set relay.environment to development (a fixed OTP code must never reach production), or remove it (from ${merged.sourceOf(['relay', name])})`
  }))
}

/**
 * The relay's real OTP senders (docs/relay.md, "One-time codes"): the SMS client must be one the
 * gateway allows, or every OTP SMS would end INVALID; an SMTP server needs the mail's sender, and
 * an SMTP user its password file (and the other way round).
 */
function checkRelayOtpSenders (merged: MergedLayers): ConfigIssue[] {
  const relay = valueAt(merged.values, ['relay'])
  if (!isPlainObject(relay)) return []
  const issues: ConfigIssue[] = []
  const allowed = valueAt(merged.values, ['clients', 'allowed'])
  if (typeof relay.otpSmsClient === 'string' && !(Array.isArray(allowed) && allowed.includes(relay.otpSmsClient))) {
    issues.push({ path: 'relay.otpSmsClient', problem: `must be one of clients.allowed, got ${JSON.stringify(relay.otpSmsClient)} (from ${merged.sourceOf(['relay', 'otpSmsClient'])})` })
  }
  const needs: ReadonlyArray<readonly [string, string]> = [['smtpHost', 'smtpFrom'], ['smtpUser', 'smtpPasswordFile'], ['smtpPasswordFile', 'smtpUser'], ['captchaUrl', 'captchaSecretFile'], ['captchaSecretFile', 'captchaUrl']]
  for (const [setting, needed] of needs) {
    if (relay[setting] !== undefined && relay[needed] === undefined) issues.push({ path: `relay.${setting}`, problem: `needs relay.${needed} (from ${merged.sourceOf(['relay', setting])})` })
  }
  // Numbers whose MO would enter an ingress that does not run would be refused for no owner.
  if (Array.isArray(relay.ingressNumbers) && relay.ingressNumbers.length > 0 && relay.ingress !== true) {
    issues.push({ path: 'relay.ingressNumbers', problem: `needs relay.ingress: true (from ${merged.sourceOf(['relay', 'ingressNumbers'])})` })
  }
  // The ingress hands every forward to the publisher of this process.
  if (relay.ingress === true && relay.publisherGrpcPort === undefined) {
    issues.push({ path: 'relay.ingress', problem: `needs relay.publisherGrpcPort, the publisher it hands forwards to (from ${merged.sourceOf(['relay', 'ingress'])})` })
  }
  return issues
}

/** The relay's TLS ports (the vault's, the publisher's) need the certificate and key; the EntityInternal ports run beside the Entity server. */
function checkRelayTls (merged: MergedLayers): ConfigIssue[] {
  const relay = valueAt(merged.values, ['relay'])
  if (!isPlainObject(relay)) return []
  const needs: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['grpcTlsPort', ['grpcTlsCertFile', 'grpcTlsKeyFile']],
    ['publisherGrpcTlsPort', ['publisherGrpcPort', 'grpcTlsCertFile', 'grpcTlsKeyFile']],
    ['internalGrpcTlsPort', ['internalGrpcPort', 'grpcTlsCertFile', 'grpcTlsKeyFile']],
    ['internalGrpcPort', ['grpcPort']]
  ]
  return needs.flatMap(([setting, needed]) => relay[setting] === undefined
    ? []
    : needed.filter(name => relay[name] === undefined).map(name => ({ path: `relay.${setting}`, problem: `needs relay.${name} (from ${merged.sourceOf(['relay', setting])})` })))
}

/**
 * relay.platforms (docs/relay.md, "Platforms"): a client secret belongs to a client id, and the
 * confidential OAuth 2.0 clients (Gmail, X, Mastodon) need both; Bluesky's is a public client
 * (its client id is its metadata URL); Telegram needs its api id and api hash together.
 */
function checkRelayPlatforms (merged: MergedLayers): ConfigIssue[] {
  const platforms = valueAt(merged.values, ['relay', 'platforms'])
  if (!isPlainObject(platforms)) return []
  const needs: ReadonlyArray<readonly [string, string, string]> = [
    ...['gmail', 'twitter', 'mastodon'].map(name => [name, 'clientId', 'clientSecretFile'] as const),
    ...['gmail', 'twitter', 'mastodon', 'bluesky'].map(name => [name, 'clientSecretFile', 'clientId'] as const),
    ['telegram', 'apiId', 'apiHashFile'],
    ['telegram', 'apiHashFile', 'apiId']
  ]
  return needs.flatMap(([name, setting, needed]) => {
    const platform = platforms[name]
    if (!isPlainObject(platform) || platform[setting] === undefined || platform[needed] !== undefined) return []
    return [{ path: `relay.platforms.${name}.${setting}`, problem: `needs relay.platforms.${name}.${needed} (from ${merged.sourceOf(['relay', 'platforms', name, setting])})` }]
  })
}

/** Rules across settings, which the schema cannot say. */
export function checkConfigRules (merged: MergedLayers): ConfigIssue[] {
  return [...checkExclusive(merged), ...checkDistinctTopics(merged), ...checkSmscConnections(merged), ...checkAllowedClients(merged), ...checkRelayDevelopmentOtp(merged), ...checkRelayTls(merged), ...checkRelayOtpSenders(merged), ...checkRelayPlatforms(merged)]
}
