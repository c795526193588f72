import { createHash } from 'node:crypto'
import { dashboardScript } from './dashboard-script.ts'
import { dashboardStyle } from './dashboard-style.ts'

function tile (id: string, label: string): string {
  return `<div class="tile" id="${id}"><div class="label">${label}</div><div class="value">–<span class="unit"></span></div></div>`
}

/**
 * The dashboard: one self-contained page, its style and script inline. It holds no data: after
 * a login (`<page>/session`) the data comes from `<page>/events` and `<page>/history`.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>smsgw dashboard</title>
<style>${dashboardStyle}</style>
</head>
<body>
<header>
  <h1>smsgw<small>gateway dashboard</small></h1>
  <div class="live" id="live" data-live="false"><span class="dot"></span><span id="updated">connecting…</span><button type="button" id="logout" hidden>Log out</button></div>
</header>
<section class="panel login" id="login" hidden>
  <h2>Operator login</h2>
  <form id="login-form">
    <label for="operator-key">Operator key</label>
    <input id="operator-key" name="key" type="password" autocomplete="off" spellcheck="false" required>
    <button type="submit">Log in</button>
  </form>
  <p class="muted">The key <span class="mono">smsgw run</span> printed at its first start, or one from <span class="mono">smsgw api-key operator create</span>.</p>
  <p id="login-error" role="alert"></p>
</section>
<main id="board" hidden>
<section class="tiles">
  ${tile('tile-requests', 'Requests')}
  ${tile('tile-statuses', 'Statuses')}
  ${tile('tile-in-flight', 'In flight')}
  ${tile('tile-lag', 'Consumer lag')}
  ${tile('tile-p50', 'Latency p50')}
  ${tile('tile-p90', 'Latency p90')}
  ${tile('tile-p99', 'Latency p99')}
  ${tile('tile-decrypt', 'Decrypt failures')}
  ${tile('tile-inbound', 'Inbound SMS stored')}
  ${tile('tile-inbound-refused', 'Inbound refused')}
</section>
<section class="grid">
  <div class="panel">
    <h2>Throughput, last 5 minutes</h2>
    <div class="legend"><span class="swatch-requests">requests/s</span><span class="swatch-statuses">statuses/s</span></div>
    <div id="throughput-chart"></div>
  </div>
  <div class="panel">
    <h2>Statuses by kind, per minute</h2>
    <div class="legend">
      <span class="swatch-sent">SENT</span><span class="swatch-delivered">DELIVERED</span><span class="swatch-expired">EXPIRED</span>
      <span class="swatch-invalid">INVALID</span><span class="swatch-failed">FAILED</span>
    </div>
    <div id="kinds-chart"></div>
  </div>
</section>
<section class="panel spaced">
  <h2>SMSC connections</h2>
  <table>
    <thead><tr><th>Connection</th><th>State</th><th>Window in use</th><th>Submits</th><th>Throttled</th><th>Reconnects</th></tr></thead>
    <tbody id="connections"></tbody>
  </table>
</section>
<section class="panel">
  <h2>Latest requests</h2>
  <table>
    <thead><tr><th>Time</th><th>Client-id</th><th>Correl-id</th><th>Status</th><th>Statuses</th><th>Recall-id</th></tr></thead>
    <tbody id="requests"></tbody>
  </table>
  <div id="history"></div>
</section>
<section id="relay" hidden>
  <h2 class="part">Relay: SMS in, posts out</h2>
  <section class="tiles">
    ${tile('tile-relay-in', 'Payloads in')}
    ${tile('tile-relay-published', 'Published')}
    ${tile('tile-relay-decrypt', 'Decrypt failures')}
    ${tile('tile-relay-p50', 'Publish p50')}
    ${tile('tile-relay-p99', 'Publish p99')}
    ${tile('tile-relay-accounts', 'Accounts')}
    ${tile('tile-relay-clients', 'Gateway clients')}
    ${tile('tile-relay-segments', 'Segments pending')}
    ${tile('tile-relay-unknown', 'Unknown publications')}
  </section>
  <section class="grid">
    <div class="panel">
      <h2>Payloads in, by ingress and outcome</h2>
      <table id="relay-ingress"><thead></thead><tbody></tbody></table>
    </div>
    <div class="panel">
      <h2>Decrypt failures, by cause</h2>
      <table><thead><tr><th>Cause</th><th class="num">Count</th></tr></thead><tbody id="relay-decrypt-failures"></tbody></table>
    </div>
  </section>
  <section class="panel spaced">
    <h2>Publishes, by platform and outcome</h2>
    <table id="relay-publishes"><thead></thead><tbody></tbody></table>
  </section>
  <section class="panel">
    <h2>Gateway clients <span class="muted" id="relay-clients-note"></span></h2>
    <table>
      <thead><tr><th>Country</th><th>Operator</th><th>Operator code</th><th>Protocols</th><th>Reliability</th><th>Last published</th><th>Forwarding key</th></tr></thead>
      <tbody id="relay-clients"></tbody>
    </table>
  </section>
</section>
</main>
<script>${dashboardScript}</script>
</body>
</html>
`

function sourceHash (source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`
}

/**
 * The page's Content-Security-Policy: its own inline script and style by hash and nothing else,
 * connections to this origin only (the login, the event stream and the history). The login
 * form is sent by the script as JSON, never by the browser, so no form may be submitted.
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'none'",
  `script-src ${sourceHash(dashboardScript)}`,
  `style-src ${sourceHash(dashboardStyle)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
