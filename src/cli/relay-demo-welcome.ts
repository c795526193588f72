import { DEMO_OTP_CODE, DEMO_RELAY_COUNTRY, DEMO_RELAY_NUMBER, DEMO_RELAY_PHONE, type RelayDemo } from '../app/relay-demo.ts'

// What `smsgw run` prints of the demo's relay (docs/relay.md, "Try it: the demo"): where its parts
// listen, and the three `smsgw relay app` commands that sign up the demo user, link the simulated
// Mastodon and post by SMS, ready to paste (test/app/run-relay-demo.test.ts runs them as printed).

export interface RelayDemoWelcome {
  readonly url: string
  readonly relayDemo: RelayDemo
  readonly relayGrpcPort: number | undefined
  readonly relayPublisherGrpcPort: number | undefined
}

/** The lines beside the dashboard's and the SMSC's at the top of the welcome. */
export function relayDemoSummary (app: RelayDemoWelcome): string[] {
  return [
    `  relay       vault gRPC 127.0.0.1:${String(app.relayGrpcPort)}, publisher gRPC 127.0.0.1:${String(app.relayPublisherGrpcPort)}, ingress ${app.url}/v3/publish and SMS to ${DEMO_RELAY_NUMBER}`,
    `  platforms   simulator ${app.relayDemo.platformsUrl}/ (the posts it received; GET /_sim/posts)`
  ]
}

/** The commands of the inbound direction: all three on the first start, the post alone once signed up. */
export function relayDemoLines (app: RelayDemoWelcome): string[] {
  const { relayDemo } = app
  const state = `--state ${shellWord(relayDemo.stateFile)} --state-password-file ${shellWord(relayDemo.statePasswordFile)}`
  const publisher = `--publisher 127.0.0.1:${String(app.relayPublisherGrpcPort)}`
  const send = `  bin/smsgw relay app send mastodon ${state} --body 'Hello from an SMS' --via smsc --smsc-sim ${relayDemo.moControlUrl} --relay-number ${DEMO_RELAY_NUMBER}`
  const seen = `The post shows on ${relayDemo.platformsUrl}/, and the delivery notice SMS to ${DEMO_RELAY_PHONE} among the dashboard's requests (client demo, correl-id relay-notice-…).`
  if (relayDemo.signedUp) {
    return ['', `The other direction: the demo user ${DEMO_RELAY_PHONE} is signed up (${relayDemo.stateFile}); post by SMS to the relay number:`, '', send, '', seen]
  }
  return [
    '',
    `The other direction: sign up the demo user ${DEMO_RELAY_PHONE} (its one-time code ${DEMO_OTP_CODE} is accepted: development), link the simulated Mastodon, post by SMS to the relay number:`,
    '',
    `  bin/smsgw relay app signup ${state} --vault 127.0.0.1:${String(app.relayGrpcPort)} ${publisher} --phone ${DEMO_RELAY_PHONE} --country-code ${DEMO_RELAY_COUNTRY} --password-file ${shellWord(relayDemo.accountPasswordFile)} --otp ${DEMO_OTP_CODE}`,
    `  bin/smsgw relay app link mastodon ${state} ${publisher} --consent`,
    send,
    '',
    seen
  ]
}

/** A path as one shell word: as it is when it is plain, else in single quotes. */
function shellWord (text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll('\'', '\'\\\'\'')}'`
}
