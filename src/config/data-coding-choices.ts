/**
 * The data coding of an SMSC connection (smpp.dataCoding): `auto` picks GSM 7-bit when every
 * character fits and UCS-2 otherwise (sms/encoding/sms-plan.ts); the others force one.
 */
export const dataCodingChoices = { auto: 'auto', gsm7: 'gsm7', ucs2: 'ucs2' } as const
export type DataCodingChoice = typeof dataCodingChoices[keyof typeof dataCodingChoices]
export const allowedDataCodingChoices: readonly DataCodingChoice[] = Object.values(dataCodingChoices)
