export { openGcm, sealGcm, TAG_BYTES } from './aes-gcm.ts'
export { allowedPayloadFormats, openPayload, payloadFormats, sealPayload, sealPayloadAsHolder } from './sealed-payload.ts'
export type { PayloadFormat } from './sealed-payload.ts'
