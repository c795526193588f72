import type { Platform } from '../payload/platforms.ts'

// The platform manifests of relay-wire.md §5.3 and §6 (upstream's resources/platforms.json shape):
// exactly these seven keys, since the app decodes them strictly. Icons are upstream's: each
// adapter's repository serves them.

export interface PlatformManifest {
  readonly name: string
  readonly shortcode: string
  readonly protocol_type: string
  readonly service_type: string
  readonly icon_svg: string | null
  readonly icon_png: string | null
  readonly support_url_scheme: boolean | null
}

/** Platforms whose OAuth2 flow can come back through the app's own URL scheme (upstream: X alone). */
const URL_SCHEME_PLATFORMS: ReadonlySet<string> = new Set(['twitter'])

export function manifestOf (platform: Platform): PlatformManifest {
  const icons = `https://raw.githubusercontent.com/smswithoutborders/${platform.name}-${platform.protocol}-adapter/main/icons/${platform.name}`
  return {
    name: platform.name,
    shortcode: platform.shortcode,
    protocol_type: platform.protocol,
    service_type: platform.serviceType,
    icon_svg: `${icons}.svg`,
    icon_png: `${icons}.png`,
    support_url_scheme: URL_SCHEME_PLATFORMS.has(platform.name)
  }
}
