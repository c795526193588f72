import type { Measurement } from './measure.ts'

/** Formats a number for the report, with thousands separators. */
export function fmt (value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

/** A markdown table of measurements with a ratio column against `ceiling`. */
export function measurementTable (rows: ReadonlyArray<{ row: Measurement, ceiling: Measurement }>): string {
  const lines = ['| operation | ops/s | p50 ms | p99 ms | ratio to its ceiling |', '|---|---:|---:|---:|---:|']
  for (const { row, ceiling } of rows) {
    lines.push(`| ${row.name} | ${fmt(row.perSecond)} | ${fmt(row.p50Ms, 3)} | ${fmt(row.p99Ms, 3)} | ${fmt(row.perSecond / ceiling.perSecond, 2)} |`)
  }
  return lines.join('\n')
}

/** One goal line for a floor: `goal <text>: <value> (target >= <target>) MET|MISSED`. */
export function goalLine (text: string, value: number, target: number, unit = ''): string {
  return `goal ${text}: ${fmt(value, 2)}${unit} (target >= ${fmt(target, 2)}${unit}) ${value >= target ? 'MET' : 'MISSED'}`
}

/** One goal line for a ceiling: `goal <text>: <value> (target < <limit>) MET|MISSED`. */
export function limitLine (text: string, value: number, limit: number, unit = ''): string {
  return `goal ${text}: ${fmt(value, 1)}${unit} (target < ${fmt(limit, 1)}${unit}) ${value < limit ? 'MET' : 'MISSED'}`
}

export function peakRssMiB (): number {
  // resourceUsage().maxRSS is in KiB and is the true peak, unlike memoryUsage().rss.
  return process.resourceUsage().maxRSS / 1024
}
