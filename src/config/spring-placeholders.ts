/**
 * Spring's `${name}` and `${name:default}` placeholders in the values of a `.properties` file,
 * as the older gateway used them (`sms.gateway.client-log.dir=/var/log/${spring.application.name}`).
 * Pure: the file's entries and an environment in, resolved text or a problem out.
 */

export type Resolution = { readonly value: string } | { readonly problem: string }

export interface PlaceholderScope {
  /** The file's raw values by key. */
  readonly properties: ReadonlyMap<string, string>
  /** Looked in after the file, as Spring also looks in the environment. */
  readonly env: NodeJS.ProcessEnv
  /** Values Spring Boot would have had from elsewhere (the jar's application.properties). */
  readonly defaults: Readonly<Record<string, string>>
}

/** The index of the `}` closing a placeholder whose name starts at `from`, or -1. */
function closingBrace (text: string, from: number): number {
  let depth = 0
  for (let index = from; index < text.length; index++) {
    if (text[index] === '{') depth++
    else if (text[index] === '}') {
      if (depth === 0) return index
      depth--
    }
  }
  return -1
}

/** The index of the `:` separating name and default (not one inside a nested placeholder), or -1. */
function defaultSeparator (inner: string): number {
  let depth = 0
  for (let index = 0; index < inner.length; index++) {
    const character = inner[index]
    if (character === '{') depth++
    else if (character === '}') depth--
    else if (character === ':' && depth === 0) return index
  }
  return -1
}

/** The names Spring tries in the environment: as written, then with `.` and `-` as `_`, upper-cased. */
function environmentNames (name: string): string[] {
  const underscored = name.replace(/[.-]/g, '_')
  return [name, underscored, underscored.toUpperCase()]
}

/** Resolves placeholders lazily, so that keys nobody reads (camel.*, logging.*) are never resolved. */
export class PlaceholderResolver {
  readonly #scope: PlaceholderScope
  readonly #resolved = new Map<string, Resolution>()

  constructor (scope: PlaceholderScope) {
    this.#scope = scope
  }

  /** The value of `key` in the file with its placeholders resolved. */
  resolveKey (key: string): Resolution {
    return this.#property(key, [])
  }

  /** `text` with its placeholders resolved. */
  resolveText (text: string): Resolution {
    return this.#expand(text, [])
  }

  #property (key: string, stack: readonly string[]): Resolution {
    const known = this.#resolved.get(key)
    if (known !== undefined) return known
    if (stack.includes(key)) return { problem: `placeholder \${${key}} refers back to itself` }
    const resolution = this.#expand(this.#scope.properties.get(key) ?? '', [...stack, key])
    this.#resolved.set(key, resolution)
    return resolution
  }

  #lookup (name: string, stack: readonly string[]): Resolution | undefined {
    if (this.#scope.properties.has(name)) return this.#property(name, stack)
    for (const candidate of environmentNames(name)) {
      const value = this.#scope.env[candidate]
      if (value !== undefined) return { value }
    }
    const fallback = this.#scope.defaults[name]
    return fallback === undefined ? undefined : { value: fallback }
  }

  #expand (text: string, stack: readonly string[]): Resolution {
    let result = ''
    let index = 0
    for (;;) {
      const start = text.indexOf('${', index)
      const end = start < 0 ? -1 : closingBrace(text, start + 2)
      // Text without a (closed) placeholder stays as it is, as in Spring.
      if (end < 0) return { value: result + text.slice(index) }
      result += text.slice(index, start)
      const inner = text.slice(start + 2, end)
      const separator = defaultSeparator(inner)
      const name = this.#expand(separator < 0 ? inner : inner.slice(0, separator), stack)
      if ('problem' in name) return name
      const found = this.#lookup(name.value, stack) ??
        (separator < 0 ? { problem: `cannot resolve placeholder \${${name.value}}` } : this.#expand(inner.slice(separator + 1), stack))
      if ('problem' in found) return found
      result += found.value
      index = end + 1
    }
  }
}
