/**
 * An SMPP absolute time (SMPP 3.4 §7.1.1), `YYMMDDhhmmsstnnp`, in UTC: tenths 0, offset 00
 * quarter hours, `+`. The deadline becomes the message's validity_period (spec §7).
 */
export function absoluteTime (instant: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0')
  return `${two(instant.getUTCFullYear() % 100)}${two(instant.getUTCMonth() + 1)}${two(instant.getUTCDate())}` +
    `${two(instant.getUTCHours())}${two(instant.getUTCMinutes())}${two(instant.getUTCSeconds())}000+`
}
