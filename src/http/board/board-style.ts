/**
 * The board's only style sheet, served as /board/style.css (the pages'
 * policy allows no inline style, and nothing from elsewhere). Visible focus
 * rings and colours that keep 4.5:1 contrast.
 */
export const BOARD_CSS = `
:root { font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fafafa; }
body { margin: 0; }
a { color: #0645ad; }
:focus-visible { outline: 3px solid #c45500; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
header { display: flex; gap: 1.5em; align-items: center; padding: 8px 16px; background: #20303f; color: #fff; }
header a { color: #fff; margin-right: 1em; }
header .who { margin: 0 0 0 auto; }
header form { margin: 0; }
header form.search { display: flex; gap: 6px; align-items: center; }
main { padding: 8px 16px 32px; }
h1 .target { font-weight: normal; font-size: 70%; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; background: #fff; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #d0d0d0; padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
tr.breached td:first-child, li.breached { color: #a00000; font-weight: bold; }
tr.breached { background: #fff0f0; }
tr.due td:first-child { color: #7a4d00; font-weight: bold; }
.target, .mono { font-family: "DejaVu Sans Mono", monospace; word-break: break-all; }
.prio { padding: 0 6px; border-radius: 3px; border: 1px solid #888; }
.prio.urgent { background: #a00000; color: #fff; border-color: #a00000; }
.prio.high { background: #ffe3c2; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 8px 0; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
.summary dt { font-weight: bold; }
.summary dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; }
form.action fieldset { display: flex; flex-direction: column; gap: 4px; min-width: 16em; border: 1px solid #c0c0c0; background: #fff; }
form.action button { align-self: flex-start; margin-top: 4px; }
button { font: inherit; padding: 3px 12px; }
.held { border-left: 4px solid #c45500; padding-left: 12px; }
pre.complaint, pre.preview, .thread pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid #d0d0d0; padding: 8px; max-height: 40em; overflow: auto; }
article.report { border-top: 1px solid #c0c0c0; margin-top: 12px; }
p.note { color: #4a4a4a; font-style: italic; }
.thread li.out summary::before { content: "→ "; }
.thread li.in summary::before { content: "← "; }
tr.selected { outline: 3px solid #c45500; }
dialog#keys dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
kbd { font-family: "DejaVu Sans Mono", monospace; border: 1px solid #888; border-radius: 3px; padding: 0 4px; background: #fff; color: #1a1a1a; }
p.alert { background: #fff0f0; border: 1px solid #a00000; padding: 6px 10px; }
p.status { background: #effaef; border: 1px solid #2a7a2a; padding: 6px 10px; }
`;
