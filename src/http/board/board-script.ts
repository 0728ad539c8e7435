/**
 * The board's only script, served as /board/board.js (the pages' policy
 * allows scripts from this server only, none inline). The pages work without
 * it: it adds what a browser must do itself, times in the operator's own time
 * zone with how far off they are ("in 2 h"), and keyboard shortcuts, listed
 * by "?".
 */
export const BOARD_JS = `'use strict';
(() => {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  const relative = (d) => {
    const s = (d.getTime() - Date.now()) / 1000;
    for (const [unit, n] of units) if (Math.abs(s) >= n || unit === 'second') return rtf.format(Math.round(s / n), unit);
  };
  const localTimes = () => {
    for (const t of document.querySelectorAll('time[datetime]')) {
      const d = new Date(t.dateTime);
      if (Number.isNaN(d.getTime())) continue;
      t.title = t.dateTime;
      t.textContent = d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) + ' (' + relative(d) + ')';
    }
  };
  localTimes();
  setInterval(localTimes, 60000);

  const KEYS = [
    ['/', 'search cases'],
    ['j / k', 'next / previous case in a list'],
    ['o or Enter', 'open the selected case'],
    ['x', 'tick the selected case (for the action on selected cases)'],
    ['a', 'act on the ticked cases'],
    ['r', 'read the first report of a case'],
    ['e', 'download the first report as received (.eml)'],
    ['n', 'write the message of a held notice'],
    ['t', 'the mail thread'],
    ['c', 'the target to confirm (Enter confirms it; Tab reaches "Not what is reported")'],
    ['u', 'back to the open cases'],
    ['?', 'this help'],
  ];
  const dialog = document.createElement('dialog');
  dialog.id = 'keys';
  dialog.setAttribute('aria-labelledby', 'keys-title');
  const h = document.createElement('h2');
  h.id = 'keys-title';
  h.textContent = 'Keyboard shortcuts';
  const dl = document.createElement('dl');
  for (const [k, what] of KEYS) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = k;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    dl.append(dt, dd);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close';
  close.addEventListener('click', () => dialog.close());
  dialog.append(h, dl, close);
  document.body.append(dialog);

  const rows = () => [...document.querySelectorAll('table.cases tbody tr')];
  let at = -1;
  const select = (i) => {
    const all = rows();
    if (!all.length) return;
    at = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((r, n) => r.classList.toggle('selected', n === at));
    all[at].querySelector('th a')?.focus();
  };
  const focus = (sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    el.scrollIntoView({ block: 'start' });
    el.focus();
    return true;
  };
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (dialog.open) return;
    const all = rows();
    const current = () => { const i = all.findIndex((r) => r.contains(document.activeElement)); return i >= 0 ? i : at; };
    let done = true;
    switch (e.key) {
      case '?': dialog.showModal(); break;
      case '/': done = focus('#s-q'); break;
      case 'j': select(current() + 1); break;
      case 'k': select(current() - 1); break;
      case 'o': { const a = all[current()]?.querySelector('th a'); if (a) a.click(); else done = false; break; }
      case 'x': { const box = all[current()]?.querySelector('input[type=checkbox]'); if (box) box.checked = !box.checked; else done = false; break; }
      case 'a': done = focus('#b-action'); break;
      case 'r': done = focus('#report-1-text'); break;
      case 'e': { const a = document.querySelector('a[download]'); if (a) a.click(); else done = false; break; }
      case 'n': done = focus('#a-message'); break;
      case 't': done = focus('#h-thread'); break;
      case 'c': done = focus('section[aria-labelledby="h-confirm"] button'); break;
      case 'u': location.href = '/board'; break;
      default: done = false;
    }
    if (done) e.preventDefault();
  });
})();
`;
