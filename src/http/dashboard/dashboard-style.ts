// The dashboard's stylesheet, inlined into the page (no CDN: the gateway may have no internet).

export const dashboardStyle = `
:root {
  --bg: #0f1420; --panel: #171e2e; --panel-edge: #243049; --text: #e6ebf5; --muted: #8c98b3; --grid: #26304a;
  --sent: #4e8cff; --delivered: #34c98b; --expired: #f5a524; --invalid: #c678dd; --failed: #ff5c6c;
  --requests: #4e8cff; --statuses: #34c98b;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; padding: 0 24px 24px; }
header { display: flex; align-items: center; justify-content: space-between; padding: 16px 0; }
h1 { font-size: 20px; margin: 0; letter-spacing: .02em; }
h1 small { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: 8px; }
h2 { font-size: 13px; margin: 0 0 10px; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-weight: 600; }
.live { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 13px; }
.dot { width: 10px; height: 10px; border-radius: 50%; background: var(--failed); }
.live[data-live="true"] .dot { background: var(--delivered); box-shadow: 0 0 0 4px rgba(52, 201, 139, .18); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 12px; }
.tile, .panel { background: var(--panel); border: 1px solid var(--panel-edge); border-radius: 10px; }
.tile { padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
.tile .value { font-size: 26px; font-weight: 600; margin-top: 4px; font-variant-numeric: tabular-nums; }
.tile .unit { color: var(--muted); font-size: 13px; margin-left: 4px; font-weight: 400; }
.grid { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; margin-bottom: 12px; }
.panel { padding: 14px 16px; min-width: 0; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: -4px 0 6px; }
.swatch-requests { --swatch: var(--requests); } .swatch-statuses { --swatch: var(--statuses); } .swatch-sent { --swatch: var(--sent); }
.swatch-delivered { --swatch: var(--delivered); } .swatch-expired { --swatch: var(--expired); } .swatch-invalid { --swatch: var(--invalid); }
.swatch-failed { --swatch: var(--failed); }
.spaced { margin-bottom: 12px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; background: var(--swatch); }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--muted); font-size: 11px; font-family: inherit; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; padding: 6px 8px; border-bottom: 1px solid var(--panel-edge); }
td { padding: 6px 8px; border-bottom: 1px solid var(--grid); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 280px; }
tbody tr:last-child td { border-bottom: 0; }
tr.request { cursor: pointer; }
tr.request:hover td { background: rgba(78, 140, 255, .07); }
tr.fresh td { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: rgba(78, 140, 255, .28); } to { background: transparent; } }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #0f1420; background: var(--muted); }
.pill.SENT { background: var(--sent); } .pill.DELIVERED { background: var(--delivered); } .pill.EXPIRED { background: var(--expired); }
.pill.INVALID { background: var(--invalid); } .pill.FAILED { background: var(--failed); }
.pill.bound { background: var(--delivered); } .pill.connecting, .pill.binding { background: var(--expired); }
.pill.reconnecting { background: #ff9f43; } .pill.unbinding, .pill.closed, .pill.unbound { background: var(--failed); }
.trail { color: var(--muted); font-size: 12px; }
.empty { color: var(--muted); text-align: center; padding: 18px 0; }
#history { margin-top: 10px; color: var(--muted); font-size: 13px; min-height: 1.4em; }
[hidden] { display: none !important; }
button { font: inherit; color: var(--text); background: var(--panel-edge); border: 1px solid var(--grid); border-radius: 6px; padding: 6px 14px; cursor: pointer; }
button:hover { background: #2e3b59; }
#logout { margin-left: 12px; padding: 2px 10px; font-size: 12px; }
.login { max-width: 560px; margin: 48px auto; }
.login form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.login label { color: var(--muted); width: 100%; }
.login input { flex: 1; min-width: 260px; font: 13px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; color: var(--text); background: var(--bg); border: 1px solid var(--panel-edge); border-radius: 6px; padding: 7px 10px; }
#login-error { color: var(--failed); min-height: 1.4em; margin: 0; }
.part { font-size: 15px; color: var(--text); margin: 28px 0 12px; }
th.num, td.num { text-align: right; }
td.zero { color: var(--muted); }
.pill.good { background: var(--delivered); } .pill.fair { background: var(--expired); } .pill.poor { background: var(--failed); }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
`
