import { SmsgwError, errorCodes } from '../../errors.ts'
import { inNetwork, parseIpAddress, parseIpNetwork, unmapped, type IpNetwork } from './ip-address.ts'
import { specialUseNameOf, specialUseOf } from './special-use-addresses.ts'

// A host name as an allow-list names it: labels of letters, digits and hyphens.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/

/**
 * Where webhooks may be posted: anywhere globally reachable, and the internal networks and
 * host names an operator allows (config `webhooks.allowedDestinations`, docs/configuration.md).
 * Checked twice: on the URL when a webhook is registered (a literal address or a local-only
 * name is refused at once), and on every address a host name resolves to when a status is
 * posted (DNS answers can change between the two), by guardedFetch.
 */
export class DestinationPolicy {
  readonly #networks: readonly IpNetwork[]
  readonly #names: ReadonlySet<string>

  private constructor (networks: readonly IpNetwork[], names: ReadonlySet<string>) {
    this.#networks = networks
    this.#names = names
  }

  /** Nothing internal allowed. */
  static readonly strict = new DestinationPolicy([], new Set())

  /**
   * The policy allowing `entries`: each a network (`10.0.0.0/8`, `fd00::/8`), an address
   * (`127.0.0.1`, `::1`) or a host name (`hooks.corp.example`, which then may resolve to any
   * address). Throws SMSGW_CONFIG naming the first entry that is none of them.
   */
  static allowing (entries: readonly string[], setting = 'webhooks.allowedDestinations'): DestinationPolicy {
    const networks: IpNetwork[] = []
    const names = new Set<string>()
    entries.forEach((entry, index) => {
      const network = parseIpNetwork(entry)
      if (network !== null) {
        networks.push(network)
        return
      }
      const name = normaliseName(entry)
      if (!HOST_NAME.test(name)) {
        throw new SmsgwError(errorCodes.config, `${setting}[${index}]: ${JSON.stringify(entry)} is not a network (10.0.0.0/8), an address or a host name`)
      }
      names.add(name)
    })
    return new DestinationPolicy(networks, names)
  }

  /**
   * Why `url` may not be registered, or undefined when it may: its host is a special-use
   * address (in any of the forms the URL parser reads: `2130706433`, `0x7f000001`, `127.1`,
   * `[::ffff:127.0.0.1]`) or a local-only name, and the allow-list does not name it.
   * A host name's addresses are checked when the status is posted, not here.
   */
  refusalOfUrl (url: URL): string | undefined {
    const host = url.hostname
    const address = parseIpAddress(host)
    if (address === null) {
      const name = normaliseName(host)
      if (this.#names.has(name)) return undefined
      const special = specialUseNameOf(name)
      return special === undefined ? undefined : `${host} is ${special}`
    }
    const bare = host.replace(/^\[(.*)\]$/, '$1')
    return this.refusalOfAddress(bare, bare)
  }

  /**
   * Why `hostname` may not be reached at `address` (one of its DNS answers, or the literal),
   * or undefined when it may: an allowed name may have any address; an allowed network's
   * addresses may be reached under any name; other special-use addresses may not.
   */
  refusalOfAddress (hostname: string, address: string): string | undefined {
    if (this.#names.has(normaliseName(hostname))) return undefined
    const parsed = parseIpAddress(address)
    if (parsed === null) return `${address} is not an IP address`
    const plain = unmapped(parsed)
    if (this.#networks.some(network => inNetwork(plain, network))) return undefined
    const special = specialUseOf(parsed)
    if (special === undefined) return undefined
    return hostname === address
      ? `${address} is ${special}`
      : `${hostname} resolves to ${address}, ${special}`
  }
}

function normaliseName (name: string): string {
  return name.toLowerCase().replace(/\.$/, '')
}

/**
 * The error of a refused destination: at registration, naming the URL as given; at delivery,
 * without it (its path or query may hold the receiver's own token, and it goes to the log).
 */
export function destinationRefused (reason: string, url?: string): SmsgwError {
  return new SmsgwError(errorCodes.webhookDestination,
    `${url === undefined ? 'webhook destination' : `webhook URL ${url}`} refused: ${reason}; an operator may allow it in webhooks.allowedDestinations`)
}
