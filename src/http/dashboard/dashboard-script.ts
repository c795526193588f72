// The dashboard's script, inlined into the page and run by the browser as is: plain ES2020, no
// modules, no build step. It builds every node with createElement/textContent (never innerHTML),
// so an id from a client can never become markup. Written without template literals, so that
// this TypeScript template literal holds it unescaped.

export const dashboardScript = `
'use strict'
var STATUSES = ['SENT', 'DELIVERED', 'EXPIRED', 'INVALID', 'FAILED']
var COLORS = { SENT: '#4e8cff', DELIVERED: '#34c98b', EXPIRED: '#f5a524', INVALID: '#c678dd', FAILED: '#ff5c6c' }
var SVG = 'http://www.w3.org/2000/svg'
var base = location.pathname.replace(/\\/+$/, '')
var seen = new Set()
var firstFrame = true

function byId (id) { return document.getElementById(id) }

function element (tag, className, text) {
  var node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function shape (tag, attributes, text) {
  var node = document.createElementNS(SVG, tag)
  for (var name in attributes) node.setAttribute(name, String(attributes[name]))
  if (text !== undefined) node.textContent = text
  return node
}

function rate (value) {
  if (value === null || value === undefined) return '–'
  return value < 10 ? value.toFixed(1) : String(Math.round(value))
}

function count (value) { return Math.round(value).toLocaleString('en-US') }

function axis (value) { return Number.isInteger(value) ? count(value) : String(Number(value.toFixed(2))) }

function duration (seconds) {
  if (seconds === null || seconds === undefined) return ['–', '']
  if (seconds < 1) return [String(Math.round(seconds * 1000)), 'ms']
  if (seconds < 120) return [seconds.toFixed(1), 's']
  if (seconds < 7200) return [(seconds / 60).toFixed(1), 'min']
  return [(seconds / 3600).toFixed(1), 'h']
}

function clock (ms) {
  var date = new Date(ms)
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map(function (n) { return String(n).padStart(2, '0') }).join(':')
}

function setTile (id, value, unit) {
  var tile = byId(id)
  tile.querySelector('.value').firstChild.textContent = value
  tile.querySelector('.unit').textContent = unit || ''
}

function average (samples, field, seconds) {
  var recent = samples.slice(-seconds)
  if (recent.length === 0) return 0
  return recent.reduce(function (sum, sample) { return sum + sample[field] }, 0) / recent.length
}

function niceCeiling (value) {
  if (value <= 1) return 1
  var power = Math.pow(10, Math.floor(Math.log10(value)))
  var steps = [1, 2, 2.5, 5, 10]
  for (var i = 0; i < steps.length; i++) if (steps[i] * power >= value) return steps[i] * power
  return 10 * power
}

// Line chart of requests/s and statuses/s over the kept seconds.
function drawThroughput (samples, nowMs) {
  var width = 640; var height = 200; var left = 44; var right = 10; var top = 10; var bottom = 24
  var spanMs = 300000
  var svg = shape('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'requests and statuses per second' })
  var max = niceCeiling(samples.reduce(function (m, s) { return Math.max(m, s.requests, s.statuses) }, 0))
  var x = function (atMs) { return left + (width - left - right) * (1 - (nowMs - atMs) / spanMs) }
  var y = function (value) { return top + (height - top - bottom) * (1 - value / max) }
  for (var g = 0; g <= 4; g++) {
    var value = max * g / 4
    svg.appendChild(shape('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), stroke: '#26304a' }))
    svg.appendChild(shape('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, axis(value)))
  }
  for (var minute = 5; minute >= 0; minute--) {
    svg.appendChild(shape('text', { x: x(nowMs - minute * 60000), y: height - 6, 'text-anchor': 'middle' }, minute === 0 ? 'now' : '-' + minute + ' min'))
  }
  var visible = samples.filter(function (s) { return nowMs - s.atMs <= spanMs })
  if (visible.length > 1) {
    var series = [['requests', '#4e8cff'], ['statuses', '#34c98b']]
    series.forEach(function (pair) {
      var points = visible.map(function (s) { return x(s.atMs).toFixed(1) + ',' + y(s[pair[0]]).toFixed(1) }).join(' ')
      var first = x(visible[0].atMs).toFixed(1); var last = x(visible[visible.length - 1].atMs).toFixed(1)
      svg.appendChild(shape('polygon', { points: first + ',' + y(0) + ' ' + points + ' ' + last + ',' + y(0), fill: pair[1], 'fill-opacity': 0.12 }))
      svg.appendChild(shape('polyline', { points: points, fill: 'none', stroke: pair[1], 'stroke-width': 2, 'stroke-linejoin': 'round' }))
    })
  }
  byId('throughput-chart').replaceChildren(svg)
}

// Stacked bars of statuses by kind per bucket of minutes.
function drawKinds (buckets) {
  var width = 420; var height = 200; var left = 36; var right = 6; var top = 10; var bottom = 24
  var svg = shape('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'statuses by kind per minute' })
  var totals = buckets.map(function (b) { return STATUSES.reduce(function (sum, s) { return sum + b.counts[s] }, 0) })
  // Counts are whole: a whole step between the four grid lines keeps their labels whole.
  var max = 4 * Math.max(1, Math.ceil(niceCeiling(Math.max.apply(null, [0].concat(totals)) / 4)))
  var y = function (value) { return top + (height - top - bottom) * (1 - value / max) }
  for (var g = 0; g <= 4; g++) {
    var value = max * g / 4
    svg.appendChild(shape('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), stroke: '#26304a' }))
    svg.appendChild(shape('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, axis(value)))
  }
  var slot = (width - left - right) / Math.max(buckets.length, 1)
  buckets.forEach(function (bucket, index) {
    var stacked = 0
    var x = left + index * slot + slot * 0.15
    STATUSES.forEach(function (status) {
      var n = bucket.counts[status]
      if (n === 0) return
      svg.appendChild(shape('rect', { x: x, width: slot * 0.7, y: y(stacked + n), height: y(stacked) - y(stacked + n), fill: COLORS[status], rx: 1.5 }))
      stacked += n
    })
    if (index % 3 === (buckets.length - 1) % 3) {
      svg.appendChild(shape('text', { x: left + index * slot + slot / 2, y: height - 6, 'text-anchor': 'middle' }, clock(bucket.atMs).slice(0, 5)))
    }
  })
  byId('kinds-chart').replaceChildren(svg)
}

function pill (text, kind) { return element('span', 'pill ' + kind, text) }

function cell (row, content, className) {
  var td = element('td', className)
  if (typeof content === 'string') td.textContent = content
  else td.appendChild(content)
  row.appendChild(td)
}

function emptyRow (columns, text) {
  var row = element('tr')
  var td = element('td', 'empty', text)
  td.colSpan = columns
  row.appendChild(td)
  return row
}

function drawConnections (connections) {
  var rows = connections.map(function (c) {
    var row = element('tr')
    cell(row, c.name, 'mono')
    cell(row, pill(c.state, c.state))
    cell(row, count(c.windowInUse))
    cell(row, count(c.submits))
    cell(row, count(c.throttled))
    cell(row, count(c.reconnects))
    return row
  })
  byId('connections').replaceChildren.apply(byId('connections'), rows.length ? rows : [emptyRow(6, 'No SMSC connections')])
}

function drawRequests (requests) {
  var rows = requests.map(function (r) {
    var key = JSON.stringify([r.clientId, r.correlId, r.statuses.length])
    var row = element('tr', 'request' + (!firstFrame && !seen.has(key) ? ' fresh' : ''))
    seen.add(key)
    row.dataset.clientId = r.clientId
    row.dataset.correlId = r.correlId
    cell(row, clock(Date.parse(r.time)), 'mono muted')
    cell(row, r.clientId, 'mono')
    cell(row, r.correlId, 'mono')
    cell(row, pill(r.status, r.status))
    cell(row, r.statuses.join(' → '), 'trail')
    cell(row, r.recallId || '–', 'mono muted')
    return row
  })
  if (seen.size > 2000) seen = new Set(requests.map(function (r) { return JSON.stringify([r.clientId, r.correlId, r.statuses.length]) }))
  byId('requests').replaceChildren.apply(byId('requests'), rows.length ? rows : [emptyRow(6, 'No requests yet')])
}

// The relay's part (docs/dashboard.md, "Relay"): counts, latency and the gateway clients, which
// come without their numbers. Shown only when the frame has it, that is where the relay runs.
function sum (counts) { return Object.keys(counts).reduce(function (total, key) { return total + counts[key] }, 0) }

function dateTime (ms) {
  var date = new Date(ms)
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map(function (n) { return String(n).padStart(2, '0') }).join('-') + ' ' + clock(ms).slice(0, 5)
}

// A table of counts: one row per name, one column per outcome (the outcomes of the first row), and the total.
function drawCounts (id, firstColumn, rows, emptyText) {
  var table = byId(id)
  var outcomes = rows.length ? Object.keys(rows[0].counts) : []
  var head = element('tr')
  head.appendChild(element('th', '', firstColumn))
  outcomes.forEach(function (outcome) { head.appendChild(element('th', 'num', outcome)) })
  head.appendChild(element('th', 'num', 'total'))
  table.tHead.replaceChildren(head)
  var body = rows.map(function (r) {
    var row = element('tr')
    cell(row, r.name, 'mono')
    outcomes.forEach(function (outcome) { cell(row, count(r.counts[outcome]), r.counts[outcome] === 0 ? 'num zero' : 'num') })
    cell(row, count(sum(r.counts)), 'num')
    return row
  })
  table.tBodies[0].replaceChildren.apply(table.tBodies[0], body.length ? body : [emptyRow(outcomes.length + 2, emptyText)])
}

function reliabilityKind (hundredths) { return hundredths >= 9000 ? 'good' : hundredths >= 5000 ? 'fair' : 'poor' }

function drawGatewayClients (clients) {
  var rows = clients.listed.map(function (c) {
    var row = element('tr')
    cell(row, c.country)
    cell(row, c.operator)
    cell(row, c.operatorCode, 'mono')
    cell(row, c.protocols.join(', ') || '–', 'mono')
    cell(row, pill((c.reliabilityHundredths / 100).toFixed(2) + ' %', reliabilityKind(c.reliabilityHundredths)))
    cell(row, dateTime(c.lastPublishedAtMs), 'mono muted')
    cell(row, c.forwarderKey ? 'set' : 'none', c.forwarderKey ? '' : 'muted')
    return row
  })
  byId('relay-clients').replaceChildren.apply(byId('relay-clients'), rows.length ? rows : [emptyRow(7, 'No gateway clients registered')])
  byId('relay-clients-note').textContent = clients.total > clients.listed.length ? '(' + count(clients.total) + ', the first ' + clients.listed.length + ' listed)' : ''
}

function gauge (value) { return value === null ? '–' : count(value) }

function renderRelay (relay) {
  byId('relay').hidden = !relay
  if (!relay) return
  var failures = relay.decryptFailures.reduce(function (total, f) { return total + f.count }, 0)
  setTile('tile-relay-in', count(relay.ingress.reduce(function (total, r) { return total + sum(r.counts) }, 0)))
  setTile('tile-relay-published', count(relay.publishes.reduce(function (total, r) { return total + r.counts.published }, 0)))
  setTile('tile-relay-decrypt', count(failures))
  var p50 = duration(relay.publishLatency.p50Seconds); setTile('tile-relay-p50', p50[0], p50[1])
  var p99 = duration(relay.publishLatency.p99Seconds); setTile('tile-relay-p99', p99[0], p99[1])
  setTile('tile-relay-accounts', gauge(relay.accounts))
  setTile('tile-relay-clients', count(relay.gatewayClients.total))
  setTile('tile-relay-segments', gauge(relay.segmentsPending))
  setTile('tile-relay-unknown', gauge(relay.unknownPublications))
  drawCounts('relay-ingress', 'ingress', relay.ingress.map(function (r) { return { name: r.ingress, counts: r.counts } }), 'No ingress')
  drawCounts('relay-publishes', 'platform', relay.publishes.map(function (r) { return { name: r.platform, counts: r.counts } }), 'No publishes yet')
  var causes = relay.decryptFailures.map(function (f) {
    var row = element('tr')
    cell(row, f.code, 'mono')
    cell(row, count(f.count), 'num')
    return row
  })
  byId('relay-decrypt-failures').replaceChildren.apply(byId('relay-decrypt-failures'), causes.length ? causes : [emptyRow(2, 'No decrypt failures (' + count(relay.decryptions) + ' decryptions)')])
  drawGatewayClients(relay.gatewayClients)
}

function render (frame) {
  var m = frame.metrics
  setTile('tile-requests', rate(average(frame.throughput, 'requests', 10)), '/s')
  setTile('tile-statuses', rate(average(frame.throughput, 'statuses', 10)), '/s')
  setTile('tile-in-flight', count(m.inFlight))
  setTile('tile-lag', count(m.consumerLag))
  var p50 = duration(m.endToEnd.p50Seconds); setTile('tile-p50', p50[0], p50[1])
  var p90 = duration(m.endToEnd.p90Seconds); setTile('tile-p90', p90[0], p90[1])
  var p99 = duration(m.endToEnd.p99Seconds); setTile('tile-p99', p99[0], p99[1])
  setTile('tile-decrypt', count(m.decryptFailures))
  // Counts only: the dashboard never sees an inbound SMS's sender or text.
  setTile('tile-inbound', count(m.inbound.stored))
  setTile('tile-inbound-refused', count(m.inbound.refused))
  drawThroughput(frame.throughput, frame.atMs)
  drawKinds(frame.statusesByKind)
  drawConnections(m.connections)
  drawRequests(frame.requests)
  renderRelay(frame.relay)
  byId('updated').textContent = 'live · ' + clock(frame.atMs)
  firstFrame = false
}

function setLive (live) {
  byId('live').dataset.live = String(live)
  if (!live) byId('updated').textContent = 'reconnecting…'
}

function showHistory (clientId, correlId) {
  var query = new URLSearchParams({ 'client-id': clientId, 'correl-id': correlId })
  fetch(base + '/history?' + query).then(function (response) {
    if (response.status === 401) { checkSession(); throw new Error('logged out') }
    return response.json()
  }).then(function (history) {
    var line = clientId + ' / ' + correlId + ': '
    line += history.statuses.length === 0
      ? 'no statuses known'
      : history.statuses.map(function (s) { return s.status + ' ' + clock(Date.parse(s.time)) + (s.recallId ? ' (recall-id ' + s.recallId + ')' : '') }).join(' → ')
    byId('history').textContent = line
  }).catch(function () { byId('history').textContent = 'history unavailable' })
}

byId('requests').addEventListener('click', function (event) {
  var row = event.target.closest('tr.request')
  if (row) showHistory(row.dataset.clientId, row.dataset.correlId)
})

// The data routes answer operators only. A login posts the operator key once and gets an
// HttpOnly session cookie, which the browser then sends with the event stream and the history.
var source = null

function connect () {
  if (source) source.close()
  source = new EventSource(base + '/events')
  source.onopen = function () { setLive(true) }
  source.onmessage = function (event) { setLive(true); render(JSON.parse(event.data)) }
  source.onerror = function () {
    setLive(false)
    // A stream the server refused (its answer was not 200: the session ended) is closed for good;
    // an interrupted one reconnects by itself.
    if (source.readyState === EventSource.CLOSED) checkSession('Your session ended; log in again.')
  }
}

function showBoard () {
  byId('login').hidden = true
  byId('board').hidden = false
  byId('logout').hidden = false
  connect()
}

function showLogin (message) {
  if (source) { source.close(); source = null }
  setLive(false)
  byId('updated').textContent = 'logged out'
  byId('board').hidden = true
  byId('logout').hidden = true
  byId('login').hidden = false
  byId('login-error').textContent = message || ''
  byId('operator-key').focus()
}

function checkSession (message) {
  fetch(base + '/session', { cache: 'no-store' }).then(function (response) { return response.json() }).then(function (session) {
    if (session.operator) showBoard()
    else showLogin(message)
  }).catch(function () { setTimeout(function () { checkSession(message) }, 5000) })
}

byId('login-form').addEventListener('submit', function (event) {
  event.preventDefault()
  var input = byId('operator-key')
  fetch(base + '/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: input.value.trim() }) })
    .then(function (response) {
      input.value = ''
      if (response.status === 204) return showBoard()
      return response.json().then(function (problem) { showLogin(problem.message) })
    })
    .catch(function () { showLogin('The gateway did not answer; try again.') })
})

byId('logout').addEventListener('click', function () {
  fetch(base + '/session', { method: 'DELETE' }).then(function () { showLogin('Logged out.') }, function () { showLogin('') })
})

checkSession('')
`
