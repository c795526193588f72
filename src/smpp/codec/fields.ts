import { commandStatus } from './constants.ts'

/**
 * A mandatory parameter of fixed size (§3.1 "Integer"). It fails to decode only when the body
 * ends before it, which is a command_length problem (ESME_RINVCMDLEN); `status` is what an
 * out-of-range value earns when encoding.
 */
export interface IntegerField {
  /** The name in the spec, for messages. */
  readonly name: string
  readonly status: number
}

/**
 * A C-Octet String (§3.1): ASCII ended by a NULL octet. `maxBytes` counts the NULL, as the
 * spec's "Var. max n" does. `status` is what the field earns when it is too long or has no NULL.
 */
export interface CStringField extends IntegerField {
  readonly maxBytes: number
  /**
   * For "Fixed 1 or n" fields (the times of §7.1): either NULL alone or exactly this many
   * octets with the NULL.
   */
  readonly fixedBytes?: number
}

const s = commandStatus

// Sizes from the PDU tables of §4; statuses from §5.1.3, picked per field as Jasmin's smpp.pdu
// does, so that a peer learns which field we rejected.
export const fields = {
  systemId: { name: 'system_id', maxBytes: 16, status: s.ESME_RINVSYSID },
  password: { name: 'password', maxBytes: 9, status: s.ESME_RINVPASWD },
  systemType: { name: 'system_type', maxBytes: 13, status: s.ESME_RINVSYSTYP },
  interfaceVersion: { name: 'interface_version', status: s.ESME_RBINDFAIL },
  addrTon: { name: 'addr_ton', status: s.ESME_RBINDFAIL },
  addrNpi: { name: 'addr_npi', status: s.ESME_RBINDFAIL },
  addressRange: { name: 'address_range', maxBytes: 41, status: s.ESME_RBINDFAIL },

  serviceType: { name: 'service_type', maxBytes: 6, status: s.ESME_RINVSERTYP },
  sourceAddrTon: { name: 'source_addr_ton', status: s.ESME_RINVSRCTON },
  sourceAddrNpi: { name: 'source_addr_npi', status: s.ESME_RINVSRCNPI },
  sourceAddr: { name: 'source_addr', maxBytes: 21, status: s.ESME_RINVSRCADR },
  destAddrTon: { name: 'dest_addr_ton', status: s.ESME_RINVDSTTON },
  destAddrNpi: { name: 'dest_addr_npi', status: s.ESME_RINVDSTNPI },
  destinationAddr: { name: 'destination_addr', maxBytes: 21, status: s.ESME_RINVDSTADR },
  esmClass: { name: 'esm_class', status: s.ESME_RINVESMCLASS },
  protocolId: { name: 'protocol_id', status: s.ESME_RUNKNOWNERR },
  priorityFlag: { name: 'priority_flag', status: s.ESME_RINVPRTFLG },
  scheduleDeliveryTime: { name: 'schedule_delivery_time', maxBytes: 17, fixedBytes: 17, status: s.ESME_RINVSCHED },
  validityPeriod: { name: 'validity_period', maxBytes: 17, fixedBytes: 17, status: s.ESME_RINVEXPIRY },
  registeredDelivery: { name: 'registered_delivery', status: s.ESME_RINVREGDLVFLG },
  replaceIfPresentFlag: { name: 'replace_if_present_flag', status: s.ESME_RINVREPFLAG },
  dataCoding: { name: 'data_coding', status: s.ESME_RUNKNOWNERR },
  smDefaultMsgId: { name: 'sm_default_msg_id', status: s.ESME_RINVDFTMSGID },
  smLength: { name: 'sm_length', status: s.ESME_RINVMSGLEN },
  shortMessage: { name: 'short_message', status: s.ESME_RINVMSGLEN },

  // data_sm allows longer addresses than submit_sm (§4.7.1).
  dataSmSourceAddr: { name: 'source_addr', maxBytes: 65, status: s.ESME_RINVSRCADR },
  dataSmDestinationAddr: { name: 'destination_addr', maxBytes: 65, status: s.ESME_RINVDSTADR },

  messageId: { name: 'message_id', maxBytes: 65, status: s.ESME_RINVMSGID }
} as const satisfies Record<string, IntegerField | CStringField>
