// The report's one stylesheet, inline so the file needs nothing from the network. Status colours
// follow the terminal: red leak, amber suspect, green stable, grey when there is too little data.
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2939; --muted: #667085; --line: #e4e7ec; --bg: #f5f6f8; --card: #fff;
  --leak: #b42318; --leak-bg: #fef3f2; --suspect: #b54708; --suspect-bg: #fffaeb; --stable: #067647; --stable-bg: #ecfdf3;
  --insufficient: #475467; --insufficient-bg: #f2f4f7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
header.top { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; margin-bottom: 12px; }
h1 { font-size: 20px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 16px 0 8px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
.muted { color: var(--muted); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 14px 0; }
.note { color: var(--muted); margin: -4px 0 10px; font-size: 13px; }
.banner { background: var(--leak-bg); border: 1px solid #fda29b; color: #7a271a; border-radius: 10px; padding: 10px 14px; margin: 12px 0; }
.verdict { border-left: 6px solid var(--insufficient); }
.verdict.leak { border-left-color: var(--leak); background: linear-gradient(90deg, var(--leak-bg), var(--card) 60%); }
.verdict.suspect { border-left-color: var(--suspect); background: linear-gradient(90deg, var(--suspect-bg), var(--card) 60%); }
.verdict.stable { border-left-color: var(--stable); background: linear-gradient(90deg, var(--stable-bg), var(--card) 60%); }
.verdict-head { display: flex; align-items: center; flex-wrap: wrap; gap: 10px; }
.reason { font-size: 16px; font-weight: 600; }
.rates { list-style: none; padding: 0; margin: 10px 0 0; display: grid; gap: 4px; font-size: 15px; }
.ci { color: var(--muted); font-size: 13px; }
.stats { color: var(--muted); font-size: 12.5px; margin: 8px 0 0; }
.explanation { font-size: 14px; margin: 8px 0 0; }
.badge { display: inline-block; border-radius: 999px; font-weight: 700; color: #fff; background: var(--insufficient); padding: 1px 9px; font-size: 12px; white-space: nowrap; }
.badge.large { font-size: 15px; padding: 3px 14px; text-transform: uppercase; letter-spacing: 0.04em; }
.badge.leak { background: var(--leak); } .badge.suspect { background: var(--suspect); } .badge.stable { background: var(--stable); }
.command { margin: 0 0 10px; overflow-wrap: anywhere; } .prompt { color: var(--muted); font-weight: 700; }
.facts dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px 18px; margin: 0; }
.facts dt { color: var(--muted); font-size: 12px; } .facts dd { margin: 0; font-weight: 600; }
.chart-figure { margin: 0 0 18px; } .chart-figure:last-child { margin-bottom: 0; }
figcaption { margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg.chart .grid { stroke: #eaecf0; } svg.chart .axis { stroke: #98a2b3; }
svg.chart .tick { fill: #475467; font-size: 12px; font-variant-numeric: tabular-nums; }
svg.chart .axis-title { fill: #344054; font-size: 12px; font-weight: 600; }
.series polyline { fill: none; stroke: currentColor; stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
.series circle { fill: currentColor; }
.series.emphasis polyline { stroke-width: 2.5; }
.task-ends line { stroke: #98a2b3; stroke-width: 1; } .task-ends.rules line { stroke-opacity: 0.45; stroke-dasharray: 2 3; }
.limit line { stroke: var(--leak); stroke-width: 1.5; stroke-dasharray: 6 4; } .limit text { fill: var(--leak); font-size: 12px; font-weight: 600; }
.hover rect { fill: transparent; pointer-events: all; } .hover rect:hover { fill: rgba(37, 99, 235, 0.08); }
.s0 { color: #1d2939; } .s1 { color: #2563eb; } .s2 { color: #9333ea; } .s3 { color: #0d9488; } .s4 { color: #ea580c; }
.s5 { color: #db2777; } .s6 { color: #0891b2; } .s7 { color: #a16207; } .s8 { color: #4f46e5; } .s9 { color: #65a30d; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12.5px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 18px; height: 3px; border-radius: 2px; background: currentColor; }
.swatch.emphasis { height: 4px; } .swatch.task-end { width: 1px; height: 12px; background: #98a2b3; }
.swatch.limit { height: 0; background: none; border-top: 2px dashed var(--leak); }
details { margin-top: 8px; } summary { cursor: pointer; color: #344054; font-size: 13px; }
details.mode { border-top: 1px solid var(--line); padding-top: 8px; } details.mode summary { font-size: 14px; font-weight: 600; }
.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
table.data th { text-align: left; font-weight: 600; color: #475467; border-bottom: 1px solid #d0d5dd; padding: 6px 8px; white-space: nowrap; }
table.data td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
table.data tbody tr:nth-child(even) td { background: #fafbfc; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.gap td { text-align: center; color: var(--muted); font-style: italic; background: var(--bg); }
table.data td code { overflow-wrap: anywhere; }
.up { color: var(--leak); } .down { color: var(--stable); } .ok { color: var(--stable); font-weight: 600; } .fail { color: var(--leak); font-weight: 600; }
.tag { font-size: 11px; border: 1px solid #d0d5dd; border-radius: 4px; padding: 0 4px; color: #475467; white-space: nowrap; }
.kind { font-weight: 600; } .kind.leak { color: var(--leak); } .kind.warm-up { color: var(--suspect); } .kind.flat, .kind.single-run, .kind.shared { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 20px; }
@media print {
  body { background: #fff; font-size: 11px; } main { max-width: none; padding: 0; }
  section { border: none; border-radius: 0; padding: 8px 0; margin: 6px 0; break-inside: avoid-page; }
  .verdict { background: none !important; padding-left: 12px; }
  .chart-figure { break-inside: avoid; } .hover { display: none; } details.chart-values { display: none; }
  table.data { font-size: 10px; } table.data tbody tr:nth-child(even) td { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
