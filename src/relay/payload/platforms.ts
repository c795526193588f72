// The platforms of relay.md §4 by shortcode: what a payload's first letter names, and which
// fields of the decrypted content that platform reads (its service type).

export const serviceTypes = { email: 'email', text: 'text', message: 'message', test: 'test' } as const
export type ServiceType = typeof serviceTypes[keyof typeof serviceTypes]
export const allowedServiceTypes: readonly ServiceType[] = Object.values(serviceTypes)

export const platformProtocols = { oauth2: 'oauth2', pnba: 'pnba', event: 'event' } as const
export type PlatformProtocol = typeof platformProtocols[keyof typeof platformProtocols]

export interface Platform {
  readonly name: string
  readonly shortcode: string
  readonly protocol: PlatformProtocol
  readonly serviceType: ServiceType
}

export const platforms: readonly Platform[] = Object.freeze([
  { name: 'gmail', shortcode: 'g', protocol: 'oauth2', serviceType: 'email' },
  { name: 'twitter', shortcode: 't', protocol: 'oauth2', serviceType: 'text' },
  { name: 'telegram', shortcode: 'T', protocol: 'pnba', serviceType: 'message' },
  { name: 'bluesky', shortcode: 'b', protocol: 'oauth2', serviceType: 'text' },
  { name: 'mastodon', shortcode: 'm', protocol: 'oauth2', serviceType: 'text' },
  { name: 'reliability', shortcode: 'r', protocol: 'event', serviceType: 'test' }
] as const)

export function platformByShortcode (shortcode: string): Platform | undefined {
  return platforms.find(platform => platform.shortcode === shortcode)
}
