import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { DestinationPolicy } from '../../../src/http/webhooks/index.ts'

// Issue 9, item 2: webhook URLs reached the loop-back interface, private networks and the cloud
// metadata service, in every spelling the URL parser reads.

const refusalOf = (policy: DestinationPolicy, url: string): string | undefined => policy.refusalOfUrl(new URL(url))

test('DestinationPolicy refuses internal and special-use hosts in every form a URL can spell them', () => {
  const cases: Array<[string, string]> = [
    ['http://127.0.0.1/hook', '127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://2130706433/hook', '127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://0x7f000001/hook', '127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://127.1/hook', '127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://017700000001/hook', '127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://127.255.255.254:8080/hook', '127.255.255.254 is loopback (127.0.0.0/8)'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 is IPv4-mapped loopback (127.0.0.0/8)'],
    ['http://[::1]/hook', '::1 is loopback (::1)'],
    ['http://[::]/hook', ':: is unspecified (::)'],
    ['http://0/hook', '0.0.0.0 is "this network" (0.0.0.0/8)'],
    ['http://10.20.30.40/hook', '10.20.30.40 is private (10.0.0.0/8)'],
    ['http://172.31.0.1/hook', '172.31.0.1 is private (172.16.0.0/12)'],
    ['http://192.168.1.1/hook', '192.168.1.1 is private (192.168.0.0/16)'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is link-local, cloud metadata (169.254.0.0/16)'],
    ['http://100.64.0.1/hook', '100.64.0.1 is shared address space, carrier-grade NAT (100.64.0.0/10)'],
    ['http://224.0.0.1/hook', '224.0.0.1 is multicast (224.0.0.0/4)'],
    ['http://255.255.255.255/hook', '255.255.255.255 is reserved, broadcast (240.0.0.0/4)'],
    ['http://[fd00::1]/hook', 'fd00::1 is unique-local (fc00::/7)'],
    ['http://[fe80::1]/hook', 'fe80::1 is link-local (fe80::/10)'],
    ['http://[ff02::1]/hook', 'ff02::1 is multicast (ff00::/8)'],
    ['http://[::ffff:10.0.0.1]/hook', '::ffff:a00:1 is IPv4-mapped private (10.0.0.0/8)'],
    ['http://[64:ff9b::a9fe:a9fe]/hook', '64:ff9b::a9fe:a9fe is NAT64 link-local, cloud metadata (169.254.0.0/16)'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a private-use name (.internal)'],
    ['http://localhost:8080/hook', 'localhost is the loopback name localhost'],
    ['http://LOCALHOST./hook', 'localhost. is the loopback name localhost'],
    ['http://api.localhost/hook', 'api.localhost is the loopback name localhost'],
    ['http://printer.local/hook', 'printer.local is a multicast-DNS name (.local)']
  ]
  assert.deepStrictEqual(cases.map(([url]) => [url, refusalOf(DestinationPolicy.strict, url)]), cases)
})

test('DestinationPolicy lets globally reachable hosts through', () => {
  const urls = [
    'https://hooks.example.org/smsgw?token=abc', 'http://93.184.216.34/hook', 'http://[2606:4700:4700::1111]/hook',
    // NAT64 of 8.8.8.8: an IPv6-only network reaches public IPv4 receivers this way.
    'http://[64:ff9b::808:808]/hook', 'http://172.32.0.1/hook', 'http://internal.example.com/hook'
  ]
  assert.deepStrictEqual(urls.map(url => refusalOf(DestinationPolicy.strict, url)), urls.map(() => undefined))
})

test('DestinationPolicy allows the networks, addresses and host names of its allow-list, and nothing next to them', () => {
  const policy = DestinationPolicy.allowing(['127.0.0.1', '10.8.0.0/16', 'fd12:3456::/32', 'Hooks.Corp.Internal'])
  assert.deepStrictEqual({
    loopback: refusalOf(policy, 'http://127.0.0.1:9000/hook'),
    mapped: refusalOf(policy, 'http://[::ffff:127.0.0.1]:9000/hook'),
    decimal: refusalOf(policy, 'http://2130706433:9000/hook'),
    network: refusalOf(policy, 'http://10.8.255.1/hook'),
    ipv6: refusalOf(policy, 'http://[fd12:3456::99]/hook'),
    name: refusalOf(policy, 'http://hooks.corp.internal/hook'),
    nameAnyAddress: policy.refusalOfAddress('hooks.corp.internal', '10.99.0.1'),
    networkAnyName: policy.refusalOfAddress('receiver.example.org', '10.8.1.2')
  }, { loopback: undefined, mapped: undefined, decimal: undefined, network: undefined, ipv6: undefined, name: undefined, nameAnyAddress: undefined, networkAnyName: undefined })
  assert.deepStrictEqual({
    nextAddress: refusalOf(policy, 'http://127.0.0.2/hook'),
    nextNetwork: refusalOf(policy, 'http://10.9.0.1/hook'),
    subdomain: refusalOf(policy, 'http://x.hooks.corp.internal/hook'),
    resolved: policy.refusalOfAddress('receiver.example.org', '10.9.0.1')
  }, {
    nextAddress: '127.0.0.2 is loopback (127.0.0.0/8)',
    nextNetwork: '10.9.0.1 is private (10.0.0.0/8)',
    subdomain: 'x.hooks.corp.internal is a private-use name (.internal)',
    resolved: 'receiver.example.org resolves to 10.9.0.1, private (10.0.0.0/8)'
  })
})

test('DestinationPolicy.allowing refuses an entry that is neither a network, an address nor a host name', () => {
  for (const entry of ['10.0.0.0/33', '10.0.0.0/8/8', '::1/129', 'hooks_corp', '-bad.example', '']) {
    assert.throws(() => DestinationPolicy.allowing(['127.0.0.1', entry]), (error: Error & { code?: string }) =>
      error.code === errorCodes.config && error.message === `webhooks.allowedDestinations[1]: ${JSON.stringify(entry)} is not a network (10.0.0.0/8), an address or a host name`, entry)
  }
})
