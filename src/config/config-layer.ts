/**
 * One problem with the configuration. `path` names the setting (`kafka.partitions`), or the
 * key, variable or file at fault when there is no setting to name; `source` says where the
 * value came from (a file and line, an environment variable, the overrides).
 */
export interface ConfigIssue {
  readonly path: string
  readonly problem: string
  readonly source?: string
}

/** `kafka.partitions: must be >= 1, got 0 (from /etc/smsgw.yaml:7)` */
export function formatIssue (issue: ConfigIssue): string {
  return `${issue.path}: ${issue.problem}${issue.source === undefined ? '' : ` (from ${issue.source})`}`
}

export type PlainObject = Record<string, unknown>

/** An object written as `{…}` in code, YAML or JSON, as opposed to an array, a class instance or null. */
export function isPlainObject (value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** What one source (defaults, file, environment, overrides) says, and where each value came from. */
export interface ConfigLayer {
  /** A partial configuration, built fresh by the layer (never the caller's objects). */
  readonly values: PlainObject
  /** Dotted path of each value the layer set -> its source. */
  readonly sources: ReadonlyMap<string, string>
  readonly issues: readonly ConfigIssue[]
  /**
   * Settings the source gives that smsgw reads but does not follow (the Java gateway's keys
   * that changed its behaviour): not errors, but reported at start, each with what smsgw does.
   */
  readonly warnings: readonly ConfigIssue[]
}

/** Collects the values and issues of one layer. */
export class LayerBuilder {
  readonly #values: PlainObject = {}
  readonly #sources = new Map<string, string>()
  readonly #issues: ConfigIssue[] = []
  readonly #warnings: ConfigIssue[] = []

  /** Sets the value at `path`, replacing what was there, and remembers its source. */
  set (path: readonly string[], value: unknown, source: string): void {
    let parent = this.#values
    for (const name of path.slice(0, -1)) {
      const existing = parent[name]
      const child: PlainObject = isPlainObject(existing) ? existing : {}
      parent[name] = child
      parent = child
    }
    const last = path.at(-1)
    if (last === undefined) return
    parent[last] = value
    this.#sources.set(path.join('.'), source)
  }

  has (path: readonly string[]): boolean {
    return this.#sources.has(path.join('.'))
  }

  sourceOf (path: readonly string[]): string | undefined {
    return this.#sources.get(path.join('.'))
  }

  problem (issue: ConfigIssue): void {
    this.#issues.push(issue)
  }

  warn (warning: ConfigIssue): void {
    this.#warnings.push(warning)
  }

  build (): ConfigLayer {
    return { values: this.#values, sources: this.#sources, issues: this.#issues, warnings: this.#warnings }
  }
}

/** A copy of `value` that shares no object or array with it. */
function copyValue (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyValue)
  if (isPlainObject(value)) {
    const copy: PlainObject = {}
    for (const [key, child] of Object.entries(value)) copy[key] = copyValue(child)
    return copy
  }
  return value
}

function mergeInto (target: PlainObject, source: PlainObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue
    const current = target[key]
    if (isPlainObject(current) && isPlainObject(value)) mergeInto(current, value)
    else target[key] = copyValue(value)
  }
}

/** The layers merged, later ones winning, with a way to tell where any value came from. */
export interface MergedLayers {
  readonly values: PlainObject
  /** The source of the value at `path`, or of the nearest enclosing value a layer set. */
  sourceOf (path: readonly (string | number)[]): string
}

/**
 * Merges layers in order: objects merge key by key, anything else (arrays included) replaces
 * what an earlier layer said. The result is a fresh object.
 */
export function mergeLayers (layers: readonly ConfigLayer[], fallbackSource: string): MergedLayers {
  const values: PlainObject = {}
  const sources = new Map<string, string>()
  for (const layer of layers) {
    mergeInto(values, layer.values)
    for (const [path, source] of layer.sources) {
      // A value replaced wholesale takes the sources of what it replaced with it.
      for (const known of sources.keys()) if (known.startsWith(`${path}.`)) sources.delete(known)
      sources.set(path, source)
    }
  }
  return {
    values,
    sourceOf (path) {
      const names = path.filter(part => typeof part === 'string')
      for (let length = names.length; length > 0; length--) {
        const source = sources.get(names.slice(0, length).join('.'))
        if (source !== undefined) return source
      }
      return fallbackSource
    }
  }
}

/** `['kafka', 'brokers', 1]` -> `kafka.brokers[1]` */
export function formatPath (path: readonly (string | number)[]): string {
  return path.map((part, index) => typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`).join('')
}
