// Numbers of SMPP 3.4 (SMPP Developers Forum, issue 1.2, 1999): sizes, command ids (§5.1.2),
// command_status codes (§5.1.3), TLV tags (§5.3.2) and the values of the one-octet fields we
// branch on (§5.2). Each number is written here once; the codec and the session import it.
// data_coding values and the esm_class UDHI bit belong to the SMS encoding layer (sms/ is below
// smpp/ and does not import it); this file takes them from there and passes dataCodings on.
import { dataCodings, ESM_CLASS_UDHI } from '../../sms/encoding/data-coding.ts'

export { dataCodings }

/** command_length, command_id, command_status and sequence_number: four Integers of 4 octets (§3.2). */
export const HEADER_BYTES = 16
/** A PDU is at least its header. */
export const MIN_PDU_BYTES = HEADER_BYTES
/**
 * The largest PDU we read or write. The spec sets no limit; a submit_sm is under 1 KiB and a
 * message_payload rarely past a few KiB. A bigger command_length is garbage or an attack, and
 * reading it would hold a peer-chosen amount of memory.
 */
export const MAX_PDU_BYTES = 64 * 1024
/** The short_message field holds at most 254 octets (§5.2.22); longer texts use message_payload. */
export const MAX_SHORT_MESSAGE_BYTES = 254
/** interface_version 0x34: "ESME is SMPP 3.4 compliant" (§5.2.4). */
export const SMPP_VERSION_3_4 = 0x34
/** The high bit of command_id marks a response (§5.1.2). */
export const RESPONSE_BIT = 0x80000000

/** command_id of each PDU (§5.1.2), under its name in the spec. */
export const commandIds = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103
} as const

export type CommandName = keyof typeof commandIds
const allowedCommandNames: readonly CommandName[] = Object.keys(commandIds) as CommandName[]

const commandNamesById: ReadonlyMap<number, CommandName> = new Map(
  allowedCommandNames.map(name => [commandIds[name], name])
)

/** The name of a command_id, or undefined for an id SMPP 3.4 does not define. */
export function commandName (commandId: number): CommandName | undefined {
  return commandNamesById.get(commandId)
}

/**
 * Each request and the response it earns (§4). outbind and alert_notification have none, and
 * generic_nack answers any PDU whose header is wrong.
 */
export const responseOf = {
  bind_receiver: 'bind_receiver_resp',
  bind_transmitter: 'bind_transmitter_resp',
  bind_transceiver: 'bind_transceiver_resp',
  query_sm: 'query_sm_resp',
  submit_sm: 'submit_sm_resp',
  deliver_sm: 'deliver_sm_resp',
  unbind: 'unbind_resp',
  replace_sm: 'replace_sm_resp',
  cancel_sm: 'cancel_sm_resp',
  enquire_link: 'enquire_link_resp',
  submit_multi: 'submit_multi_resp',
  data_sm: 'data_sm_resp'
} as const satisfies Partial<Record<CommandName, CommandName>>

export type AnsweredCommand = keyof typeof responseOf
/** The response of a request: `ResponseTo<'submit_sm'>` is `'submit_sm_resp'`. */
export type ResponseTo<C extends AnsweredCommand> = typeof responseOf[C]
export type ResponseCommand = typeof responseOf[AnsweredCommand] | 'generic_nack'

/** True for a command_id with the response bit set, known or not. */
export function isResponseId (commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0
}

/**
 * command_status (§5.1.3), one row per code. The 0xC0–0xC4 rows carry the names SMPP 5.0 gave
 * the same codes (`ESME_RINVTLVSTREAM` …) as `alias`, since peers and operators use both. Rows
 * marked `since: '5.0'` are SMPP 5.0 additions (§4.7.6 of 5.0) that 3.4 peers send in practice;
 * a 3.4 session never sends them itself.
 */
export const commandStatusTable = [
  { code: 0x00000000, name: 'ESME_ROK', description: 'No error' },
  { code: 0x00000001, name: 'ESME_RINVMSGLEN', description: 'Message length is invalid' },
  { code: 0x00000002, name: 'ESME_RINVCMDLEN', description: 'Command length is invalid' },
  { code: 0x00000003, name: 'ESME_RINVCMDID', description: 'Invalid command ID' },
  { code: 0x00000004, name: 'ESME_RINVBNDSTS', description: 'Incorrect bind status for given command' },
  { code: 0x00000005, name: 'ESME_RALYBND', description: 'ESME already in bound state' },
  { code: 0x00000006, name: 'ESME_RINVPRTFLG', description: 'Invalid priority flag' },
  { code: 0x00000007, name: 'ESME_RINVREGDLVFLG', description: 'Invalid registered delivery flag' },
  { code: 0x00000008, name: 'ESME_RSYSERR', description: 'System error' },
  { code: 0x0000000a, name: 'ESME_RINVSRCADR', description: 'Invalid source address' },
  { code: 0x0000000b, name: 'ESME_RINVDSTADR', description: 'Invalid destination address' },
  { code: 0x0000000c, name: 'ESME_RINVMSGID', description: 'Message ID is invalid' },
  { code: 0x0000000d, name: 'ESME_RBINDFAIL', description: 'Bind failed' },
  { code: 0x0000000e, name: 'ESME_RINVPASWD', description: 'Invalid password' },
  { code: 0x0000000f, name: 'ESME_RINVSYSID', description: 'Invalid system ID' },
  { code: 0x00000011, name: 'ESME_RCANCELFAIL', description: 'cancel_sm failed' },
  { code: 0x00000013, name: 'ESME_RREPLACEFAIL', description: 'replace_sm failed' },
  { code: 0x00000014, name: 'ESME_RMSGQFUL', description: 'Message queue full' },
  { code: 0x00000015, name: 'ESME_RINVSERTYP', description: 'Invalid service type' },
  { code: 0x00000033, name: 'ESME_RINVNUMDESTS', description: 'Invalid number of destinations' },
  { code: 0x00000034, name: 'ESME_RINVDLNAME', description: 'Invalid distribution list name' },
  { code: 0x00000040, name: 'ESME_RINVDESTFLAG', description: 'Destination flag is invalid (submit_multi)' },
  {
    code: 0x00000042,
    name: 'ESME_RINVSUBREP',
    description: "Invalid 'submit with replace' request (submit_sm with replace_if_present_flag set)"
  },
  { code: 0x00000043, name: 'ESME_RINVESMCLASS', description: 'Invalid esm_class field data' },
  { code: 0x00000044, name: 'ESME_RCNTSUBDL', description: 'Cannot submit to distribution list' },
  { code: 0x00000045, name: 'ESME_RSUBMITFAIL', description: 'submit_sm or submit_multi failed' },
  { code: 0x00000048, name: 'ESME_RINVSRCTON', description: 'Invalid source address TON' },
  { code: 0x00000049, name: 'ESME_RINVSRCNPI', description: 'Invalid source address NPI' },
  { code: 0x00000050, name: 'ESME_RINVDSTTON', description: 'Invalid destination address TON' },
  { code: 0x00000051, name: 'ESME_RINVDSTNPI', description: 'Invalid destination address NPI' },
  { code: 0x00000053, name: 'ESME_RINVSYSTYP', description: 'Invalid system_type field' },
  { code: 0x00000054, name: 'ESME_RINVREPFLAG', description: 'Invalid replace_if_present flag' },
  { code: 0x00000055, name: 'ESME_RINVNUMMSGS', description: 'Invalid number of messages' },
  { code: 0x00000058, name: 'ESME_RTHROTTLED', description: 'Throttling error (ESME has exceeded allowed message limits)' },
  { code: 0x00000061, name: 'ESME_RINVSCHED', description: 'Invalid scheduled delivery time' },
  { code: 0x00000062, name: 'ESME_RINVEXPIRY', description: 'Invalid message validity period (expiry time)' },
  { code: 0x00000063, name: 'ESME_RINVDFTMSGID', description: 'Predefined message invalid or not found' },
  { code: 0x00000064, name: 'ESME_RX_T_APPN', description: 'ESME receiver temporary app error code' },
  { code: 0x00000065, name: 'ESME_RX_P_APPN', description: 'ESME receiver permanent app error code' },
  { code: 0x00000066, name: 'ESME_RX_R_APPN', description: 'ESME receiver reject message error code' },
  { code: 0x00000067, name: 'ESME_RQUERYFAIL', description: 'query_sm request failed' },
  {
    code: 0x000000c0,
    name: 'ESME_RINVOPTPARSTREAM',
    alias: 'ESME_RINVTLVSTREAM',
    description: 'Error in the optional part of the PDU body'
  },
  { code: 0x000000c1, name: 'ESME_ROPTPARNOTALLWD', alias: 'ESME_RTLVNOTALLWD', description: 'Optional parameter not allowed' },
  { code: 0x000000c2, name: 'ESME_RINVPARLEN', alias: 'ESME_RINVTLVLEN', description: 'Invalid parameter length' },
  {
    code: 0x000000c3,
    name: 'ESME_RMISSINGOPTPARAM',
    alias: 'ESME_RMISSINGTLV',
    description: 'Expected optional parameter missing'
  },
  {
    code: 0x000000c4,
    name: 'ESME_RINVOPTPARAMVAL',
    alias: 'ESME_RINVTLVVAL',
    description: 'Invalid optional parameter value'
  },
  { code: 0x000000fe, name: 'ESME_RDELIVERYFAILURE', description: 'Delivery failure (data_sm_resp)' },
  { code: 0x000000ff, name: 'ESME_RUNKNOWNERR', description: 'Unknown error' },
  { code: 0x00000100, name: 'ESME_RSERTYPUNAUTH', since: '5.0', description: 'ESME not authorised to use specified service_type' },
  { code: 0x00000101, name: 'ESME_RPROHIBITED', since: '5.0', description: 'ESME prohibited from using specified operation' },
  { code: 0x00000102, name: 'ESME_RSERTYPUNAVAIL', since: '5.0', description: 'Specified service_type is unavailable' },
  { code: 0x00000103, name: 'ESME_RSERTYPDENIED', since: '5.0', description: 'Specified service_type is denied' },
  { code: 0x00000104, name: 'ESME_RINVDCS', since: '5.0', description: 'Invalid data coding scheme' },
  { code: 0x00000105, name: 'ESME_RINVSRCADDRSUBUNIT', since: '5.0', description: 'Source address subunit is invalid' },
  { code: 0x00000106, name: 'ESME_RINVDSTADDRSUBUNIT', since: '5.0', description: 'Destination address subunit is invalid' }
] as const

type CommandStatusRow = typeof commandStatusTable[number]
export type CommandStatusName = CommandStatusRow['name'] | Extract<CommandStatusRow, { alias: string }>['alias']

type CommandStatusCodes = { readonly [R in CommandStatusRow as R['name']]: R['code'] } &
  { readonly [R in Extract<CommandStatusRow, { alias: string }> as R['alias']]: R['code'] }

/** command_status codes by name, 3.4 names and their 5.0 aliases: `commandStatus.ESME_RINVDSTADR`. */
export const commandStatus = Object.freeze(Object.fromEntries(commandStatusTable.flatMap(row => [
  [row.name, row.code],
  ...('alias' in row ? [[row.alias, row.code]] : [])
]))) as CommandStatusCodes

const commandStatusRows: ReadonlyMap<number, CommandStatusRow> = new Map(commandStatusTable.map(row => [row.code, row]))

/** The table row of a command_status, or undefined for a reserved or vendor-specific code. */
export function describeCommandStatus (code: number): CommandStatusRow | undefined {
  return commandStatusRows.get(code)
}

/**
 * A name for logs: the spec name, or the range an undefined code falls in (§5.1.3 reserves
 * 0x400–0x4FF for SMSC vendor-specific errors).
 */
export function commandStatusName (code: number): string {
  const row = commandStatusRows.get(code)
  if (row !== undefined) return row.name
  const hex = `0x${code.toString(16).padStart(8, '0')}`
  return code >= 0x400 && code <= 0x4ff ? `vendor-specific ${hex}` : `reserved ${hex}`
}

/**
 * How each TLV (§5.3.2) is read: its tag and value type. `uint…` and `networkErrorCode` have a
 * fixed length; `cstring` and `octets` state their bounds in octets (a C-Octet String's bound
 * counts its NULL). TLVs we have no use for stay `octets` without bounds, so a peer's reading of
 * a vague clause never costs us a PDU.
 */
export const tlvDefinitions = {
  dest_addr_subunit: { tag: 0x0005, type: 'uint8' },
  dest_network_type: { tag: 0x0006, type: 'uint8' },
  dest_bearer_type: { tag: 0x0007, type: 'uint8' },
  dest_telematics_id: { tag: 0x0008, type: 'octets' },
  source_addr_subunit: { tag: 0x000d, type: 'uint8' },
  source_network_type: { tag: 0x000e, type: 'uint8' },
  source_bearer_type: { tag: 0x000f, type: 'uint8' },
  source_telematics_id: { tag: 0x0010, type: 'octets' },
  qos_time_to_live: { tag: 0x0017, type: 'uint32' },
  payload_type: { tag: 0x0019, type: 'uint8' },
  additional_status_info_text: { tag: 0x001d, type: 'cstring', maxBytes: 256 },
  receipted_message_id: { tag: 0x001e, type: 'cstring', maxBytes: 65 },
  ms_msg_wait_facilities: { tag: 0x0030, type: 'uint8' },
  privacy_indicator: { tag: 0x0201, type: 'uint8' },
  source_subaddress: { tag: 0x0202, type: 'octets' },
  dest_subaddress: { tag: 0x0203, type: 'octets' },
  user_message_reference: { tag: 0x0204, type: 'uint16' },
  user_response_code: { tag: 0x0205, type: 'uint8' },
  source_port: { tag: 0x020a, type: 'uint16' },
  destination_port: { tag: 0x020b, type: 'uint16' },
  sar_msg_ref_num: { tag: 0x020c, type: 'uint16' },
  language_indicator: { tag: 0x020d, type: 'uint8' },
  sar_total_segments: { tag: 0x020e, type: 'uint8' },
  sar_segment_seqnum: { tag: 0x020f, type: 'uint8' },
  sc_interface_version: { tag: 0x0210, type: 'uint8' },
  callback_num_pres_ind: { tag: 0x0302, type: 'uint8' },
  callback_num_atag: { tag: 0x0303, type: 'octets' },
  number_of_messages: { tag: 0x0304, type: 'uint8' },
  callback_num: { tag: 0x0381, type: 'octets' },
  dpf_result: { tag: 0x0420, type: 'uint8' },
  set_dpf: { tag: 0x0421, type: 'uint8' },
  ms_availability_status: { tag: 0x0422, type: 'uint8' },
  network_error_code: { tag: 0x0423, type: 'networkErrorCode' },
  message_payload: { tag: 0x0424, type: 'octets' },
  delivery_failure_reason: { tag: 0x0425, type: 'uint8' },
  more_messages_to_send: { tag: 0x0426, type: 'uint8' },
  message_state: { tag: 0x0427, type: 'uint8' },
  ussd_service_op: { tag: 0x0501, type: 'octets' },
  display_time: { tag: 0x1201, type: 'uint8' },
  sms_signal: { tag: 0x1203, type: 'uint16' },
  ms_validity: { tag: 0x1204, type: 'uint8' },
  alert_on_message_delivery: { tag: 0x130c, type: 'octets' },
  its_reply_type: { tag: 0x1380, type: 'uint8' },
  its_session_info: { tag: 0x1383, type: 'octets' }
} as const

export type TlvName = keyof typeof tlvDefinitions
export type TlvType = typeof tlvDefinitions[TlvName]['type']

/** TLV tags by name: `tlvTags.receipted_message_id` is 0x001E. */
export const tlvTags = Object.freeze(Object.fromEntries(
  Object.entries(tlvDefinitions).map(([name, definition]) => [name, definition.tag])
)) as { readonly [N in TlvName]: typeof tlvDefinitions[N]['tag'] }

/** Type of number, `*_ton` fields (§5.2.5). */
export const tons = {
  unknown: 0x00,
  international: 0x01,
  national: 0x02,
  networkSpecific: 0x03,
  subscriberNumber: 0x04,
  alphanumeric: 0x05,
  abbreviated: 0x06
} as const

export type Ton = typeof tons[keyof typeof tons]

/** Numbering plan indicator, `*_npi` fields (§5.2.6). */
export const npis = {
  unknown: 0x00,
  isdn: 0x01,
  data: 0x03,
  telex: 0x04,
  landMobile: 0x06,
  national: 0x08,
  private: 0x09,
  ermes: 0x0a,
  internet: 0x0e,
  wapClientId: 0x12
} as const

export type Npi = typeof npis[keyof typeof npis]

/** esm_class bits (§5.2.12): messaging mode (bits 1–0), message type (bits 5–2), GSM features (bits 7–6). */
export const esmClass = {
  modeMask: 0x03,
  defaultMode: 0x00,
  datagramMode: 0x01,
  forwardMode: 0x02,
  storeAndForwardMode: 0x03,
  typeMask: 0x3c,
  /** deliver_sm: the short_message is an SMSC delivery receipt. */
  deliveryReceipt: 0x04,
  smeDeliveryAck: 0x08,
  smeManualAck: 0x10,
  conversationAbort: 0x18,
  intermediateDeliveryNotification: 0x20,
  /** The short_message starts with a user data header (UDH), e.g. for concatenation. */
  udhi: ESM_CLASS_UDHI,
  replyPath: 0x80
} as const

/** registered_delivery bits (§5.2.17). */
export const registeredDelivery = {
  receiptMask: 0x03,
  noReceipt: 0x00,
  /** A receipt on final success or failure. */
  receiptOnFinal: 0x01,
  receiptOnFailure: 0x02,
  smeDeliveryAck: 0x04,
  smeManualAck: 0x08,
  intermediateNotification: 0x10
} as const

/** message_state values (§5.2.28), in the TLV of a receipt or in query_sm_resp. */
export const messageStates = {
  enroute: 1,
  delivered: 2,
  expired: 3,
  deleted: 4,
  undeliverable: 5,
  accepted: 6,
  unknown: 7,
  rejected: 8
} as const

export type MessageState = typeof messageStates[keyof typeof messageStates]
