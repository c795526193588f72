import assert from 'node:assert/strict'
import { errorCodes } from '../../errors.ts'
import { decodeBind, decodeBindResp, decodeOutbind, encodeBind, encodeBindResp, encodeOutbind } from './bind.ts'
import { SmppCodecError, unencodable } from './codec-error.ts'
import {
  commandIds, commandName, commandStatus, HEADER_BYTES, isResponseId, MAX_PDU_BYTES, responseOf
} from './constants.ts'
import type { AnsweredCommand, CommandName, ResponseCommand } from './constants.ts'
import { decodeDataSm, encodeDataSm } from './data-sm.ts'
import { decodeHeaderOnly, encodeHeaderOnly } from './header-only.ts'
import { PduReader } from './pdu-reader.ts'
import { PduWriter } from './pdu-writer.ts'
import { createPdu } from './pdu.ts'
import type { BindRespBody, EmptyBody, MessageIdBody, Pdu, PduBodies, PduOf, SupportedCommand } from './pdu.ts'
import { decodeMessageIdResp, decodeShortMessage, encodeMessageIdResp, encodeShortMessage } from './short-message.ts'

interface BodyCodec<B> {
  readonly encode: (writer: PduWriter, body: B) => void
  readonly decode: (reader: PduReader) => B
  /**
   * Responses only. SMPP 3.4 leaves the body out of a response whose command_status is not
   * ESME_ROK (the notes under §4.1.2 and §4.4.2; Jasmin does the same), and some SMSCs leave it
   * out on success too. `empty` is the body such a response decodes to; a body that `isEmpty`
   * is left out when encoding an error response.
   */
  readonly empty?: () => B
  readonly isEmpty?: (body: B) => boolean
}

const headerOnly: BodyCodec<EmptyBody> = {
  encode: encodeHeaderOnly, decode: decodeHeaderOnly, empty: () => ({}), isEmpty: () => true
}
const bind: BodyCodec<PduBodies['bind_transceiver']> = { encode: encodeBind, decode: decodeBind }
const bindResp: BodyCodec<BindRespBody> = {
  encode: encodeBindResp,
  decode: decodeBindResp,
  empty: () => ({ systemId: '', tlvs: [] }),
  isEmpty: body => body.systemId === '' && body.tlvs.length === 0
}
const shortMessage: BodyCodec<PduBodies['submit_sm']> = { encode: encodeShortMessage, decode: decodeShortMessage }
const messageIdResp: BodyCodec<MessageIdBody> = {
  encode: encodeMessageIdResp,
  decode: decodeMessageIdResp,
  empty: () => ({ messageId: '', tlvs: [] }),
  isEmpty: body => body.messageId === '' && body.tlvs.length === 0
}

// The codec of each supported command; the table is the only place that knows which exist.
const bodyCodecs: { readonly [C in SupportedCommand]: BodyCodec<PduBodies[C]> } = {
  generic_nack: headerOnly,
  bind_receiver: bind,
  bind_receiver_resp: bindResp,
  bind_transmitter: bind,
  bind_transmitter_resp: bindResp,
  bind_transceiver: bind,
  bind_transceiver_resp: bindResp,
  outbind: { encode: encodeOutbind, decode: decodeOutbind },
  unbind: headerOnly,
  unbind_resp: headerOnly,
  submit_sm: shortMessage,
  submit_sm_resp: messageIdResp,
  deliver_sm: shortMessage,
  deliver_sm_resp: messageIdResp,
  enquire_link: headerOnly,
  enquire_link_resp: headerOnly,
  data_sm: { encode: encodeDataSm, decode: decodeDataSm },
  data_sm_resp: messageIdResp
}

export function isSupportedCommand (command: CommandName): command is SupportedCommand {
  return Object.hasOwn(bodyCodecs, command)
}

const headerFields = {
  commandLength: { name: 'command_length', status: commandStatus.ESME_RINVCMDLEN },
  commandId: { name: 'command_id', status: commandStatus.ESME_RINVCMDID },
  commandStatus: { name: 'command_status', status: commandStatus.ESME_RUNKNOWNERR },
  sequenceNumber: { name: 'sequence_number', status: commandStatus.ESME_RUNKNOWNERR }
} as const

/**
 * The octets of one PDU, command_length included (§3.2). A response with an error status and
 * an empty body is written as its header alone.
 * @throws SmppCodecError SMSGW_SMPP_ENCODING when a value does not fit its field (the error's
 * `field` and `commandStatus` say which) or the PDU would pass MAX_PDU_BYTES.
 */
export function encodePdu (pdu: Pdu): Buffer {
  return encodeOf(pdu)
}

function encodeOf<C extends SupportedCommand> (pdu: PduOf<C>): Buffer {
  const codec: BodyCodec<PduBodies[C]> | undefined = Object.hasOwn(bodyCodecs, pdu.command) ? bodyCodecs[pdu.command] : undefined
  const commandId = codec === undefined ? undefined : commandIds[pdu.command]
  if (codec === undefined || pdu.commandId !== commandId) {
    throw unencodable('command_id', commandStatus.ESME_RINVCMDID, 'does not match the command name, or the command is not supported')
  }
  const writer = new PduWriter()
  writer.writeUint32(0, headerFields.commandLength)
  writer.writeUint32(commandId, headerFields.commandId)
  writer.writeUint32(pdu.commandStatus, headerFields.commandStatus)
  writer.writeUint32(pdu.sequenceNumber, headerFields.sequenceNumber)
  const bodyLeftOut = isResponseId(commandId) && pdu.commandStatus !== commandStatus.ESME_ROK && codec.isEmpty?.(pdu.body) === true
  if (!bodyLeftOut) codec.encode(writer, pdu.body)
  if (writer.lengthBytes > MAX_PDU_BYTES) {
    throw unencodable('command_length', commandStatus.ESME_RINVCMDLEN, `${writer.lengthBytes} octets, over the maximum of ${MAX_PDU_BYTES}`)
  }
  writer.setUint32(0, writer.lengthBytes)
  return writer.toBuffer()
}

/** The commands that answer a PDU the codec could not read. */
export type ReplyCommand = Extract<ResponseCommand, SupportedCommand>

/** A frame that is not a PDU we can use, with what the session should answer. */
export interface DecodeFailure {
  readonly ok: false
  /** The command_id from the header; 0 when the frame is shorter than a header. */
  readonly commandId: number
  /** The command's name, when SMPP 3.4 defines the command_id. */
  readonly command: CommandName | undefined
  /** The sequence_number to answer with; 0 when the frame is shorter than a header. */
  readonly sequenceNumber: number
  /** The command_status to answer with: ESME_RINVCMDID, ESME_RINVDSTADR, … */
  readonly commandStatus: number
  /**
   * What to answer: the request's own response for a body that breaks the grammar,
   * generic_nack for a bad header (unknown or unsupported command_id, wrong command_length),
   * and null for a response, which is never answered (two peers would nack each other forever).
   */
  readonly reply: ReplyCommand | null
  /** The field that failed (`destination_addr`, `command_id`, a TLV name), for logs and metrics. */
  readonly field: string
  /** What was wrong, in sizes and names, never values: safe to log. */
  readonly reason: string
}

export interface DecodedPdu {
  readonly ok: true
  readonly pdu: Pdu
}

export type DecodeResult = DecodedPdu | DecodeFailure

/**
 * Reads one frame (a whole PDU, as PduFramer yields it). Never throws: a frame that is not a
 * usable PDU comes back as a DecodeFailure that says how to answer it (`failureResponse`).
 */
export function decodePdu (frame: Buffer): DecodeResult {
  if (frame.length < HEADER_BYTES) {
    return failure({
      commandId: frame.length >= 8 ? frame.readUInt32BE(4) : 0,
      sequenceNumber: 0,
      commandStatus: commandStatus.ESME_RINVCMDLEN,
      field: headerFields.commandLength.name,
      reason: `${frame.length} octets, shorter than a header`
    })
  }
  const commandLength = frame.readUInt32BE(0)
  const header = {
    commandId: frame.readUInt32BE(4),
    sequenceNumber: frame.readUInt32BE(12)
  }
  const status = frame.readUInt32BE(8)
  if (commandLength !== frame.length) {
    return failure({
      ...header,
      commandStatus: commandStatus.ESME_RINVCMDLEN,
      field: headerFields.commandLength.name,
      reason: `command_length ${commandLength} but the frame has ${frame.length} octets`
    })
  }
  const command = commandName(header.commandId)
  if (command === undefined || !isSupportedCommand(command)) {
    return failure({
      ...header,
      commandStatus: commandStatus.ESME_RINVCMDID,
      field: headerFields.commandId.name,
      reason: command === undefined ? 'not a command of SMPP 3.4' : `${command} is not supported`
    })
  }
  try {
    const body = decodeBody(command, frame.subarray(HEADER_BYTES))
    return { ok: true, pdu: { command, commandId: header.commandId, commandStatus: status, sequenceNumber: header.sequenceNumber, body } as Pdu }
  } catch (error) {
    if (!(error instanceof SmppCodecError) || error.code !== errorCodes.smppMalformed) throw error
    return failure({
      ...header,
      commandStatus: error.commandStatus,
      field: error.field ?? command,
      reason: error.message
    }, replyTo(command))
  }
}

function decodeBody<C extends SupportedCommand> (command: C, octets: Buffer): PduBodies[C] {
  const codec: BodyCodec<PduBodies[C]> = bodyCodecs[command]
  if (octets.length === 0 && codec.empty !== undefined) return codec.empty()
  const reader = new PduReader(octets)
  const body = codec.decode(reader)
  reader.end()
  return body
}

// A request whose body breaks the grammar earns its own response; outbind has none.
function replyTo (command: SupportedCommand): ReplyCommand {
  const response = Object.hasOwn(responseOf, command) ? responseOf[command as AnsweredCommand] : undefined
  return response !== undefined && isSupportedCommand(response) ? response : 'generic_nack'
}

function failure (
  fields: Omit<DecodeFailure, 'ok' | 'command' | 'reply'>, requestReply: ReplyCommand = 'generic_nack'
): DecodeFailure {
  const command = commandName(fields.commandId)
  return {
    ok: false,
    commandId: fields.commandId,
    command,
    sequenceNumber: fields.sequenceNumber,
    commandStatus: fields.commandStatus,
    reply: isResponseId(fields.commandId) ? null : requestReply,
    field: fields.field,
    reason: fields.reason
  }
}

/** The PDU that answers a decode failure (a `*_resp` or generic_nack with its status), or null when none is due. */
export function failureResponse (failure: DecodeFailure): Pdu | null {
  if (failure.reply === null) return null
  return emptyResponse(failure.reply, failure.sequenceNumber, failure.commandStatus)
}

function emptyResponse<C extends ReplyCommand> (command: C, sequenceNumber: number, status: number): Pdu {
  const empty = bodyCodecs[command].empty
  assert.ok(empty !== undefined, `${command} has no empty body`)
  return createPdu(command, sequenceNumber, empty(), status) as Pdu
}
