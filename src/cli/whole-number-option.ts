import { SmsgwError, errorCodes } from '../errors.ts'

/** An option's whole number from 0 to `max`; anything else is a usage error naming the option. */
export function wholeNumber (option: string, value: string, max: number): number {
  const number = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number > max) throw new SmsgwError(errorCodes.usage, `${option} must be a whole number from 0 to ${max}, not '${value}'`)
  return number
}
