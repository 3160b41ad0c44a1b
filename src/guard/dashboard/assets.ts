/**
 * The dashboard's static files: one HTML page, one stylesheet, one vanilla script. No data is ever put into
 * these strings on the server; the script fetches JSON and writes it with `textContent` / `setAttribute` only,
 * so attacker-controlled text (excerpts, check names, request ids) can never become markup. Served under a
 * `default-src 'self'` CSP, which is why there is no inline script or style anywhere.
 */

const head = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="/admin/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/app.css">`;

export const PAGE_HTML = `${head('Lifeguard dashboard')}
<script src="/admin/app.js" defer></script>
</head>
<body>
<header>
  <h1>Lifeguard</h1>
  <label>Range
    <select id="range">
      <option value="15m">15 minutes</option>
      <option value="1h" selected>1 hour</option>
      <option value="24h">24 hours</option>
      <option value="7d">7 days</option>
    </select>
  </label>
  <span id="live-status" class="status">connecting…</span>
  <form method="post" action="/admin/logout"><button type="submit">Log out</button></form>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<main>
  <section id="summary" class="cards" aria-label="Summary">
    <div class="card"><span class="label">Decisions</span><span class="value" id="total">–</span></div>
    <div class="card"><span class="label">Blocked</span><span class="value" id="blocked">–</span></div>
    <div class="card"><span class="label">Block rate</span><span class="value" id="block-rate">–</span></div>
  </section>
  <div class="grid">
    <section id="block-rates">
      <h2>Block rate by check</h2>
      <div id="block-by-check" class="chart"><p class="empty">No decisions in this range.</p></div>
      <h2>Block rate by category</h2>
      <div id="block-by-category" class="chart"><p class="empty">No categories in this range.</p></div>
    </section>
    <section id="latency">
      <h2>Latency per check (ms)</h2>
      <table>
        <thead><tr><th>check</th><th class="num">count</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr></thead>
        <tbody id="latency-body"></tbody>
      </table>
      <div id="latency-chart" class="chart"></div>
    </section>
    <section id="top-rules">
      <h2>Top triggered rules</h2>
      <div id="top-rules-chart" class="chart"><p class="empty">No check acted in this range.</p></div>
    </section>
  </div>
  <div class="split">
  <section id="decisions">
    <h2>Decisions</h2>
    <div class="filters">
      <label>check <select id="f-check"><option value="">any</option></select></label>
      <label>action <select id="f-action"><option value="">any</option></select></label>
      <label>stage <select id="f-stage"><option value="">any</option></select></label>
    </div>
    <table id="events">
      <thead><tr><th>time (UTC)</th><th>request</th><th>stage</th><th>check</th><th>category</th><th>action</th><th class="num">score</th><th class="num">latency ms</th></tr></thead>
      <tbody id="events-body"></tbody>
    </table>
    <p id="events-empty" class="empty">No decisions yet.</p>
    <button type="button" id="older" hidden>Older decisions</button>
  </section>
  <aside id="detail" aria-label="Event" hidden>
    <div class="detail-head"><h2>Event</h2><button type="button" id="detail-close" aria-label="Close">×</button></div>
    <dl id="detail-fields"></dl>
    <h3>Excerpt (redacted)</h3>
    <pre id="detail-excerpt"></pre>
  </aside>
  </div>
</main>
</body>
</html>
`;

/** Fixed messages the login page can show; never text taken from the request. */
export const LOGIN_MESSAGES = {
  none: '',
  wrong: 'That is not the admin key.',
  limited: 'Too many wrong keys from this address; wait a minute and try again.',
  expired: 'Your session ended; sign in again.',
  origin: 'The login form must be sent from this dashboard.',
} as const;
export type LoginMessage = keyof typeof LOGIN_MESSAGES;

export function loginHtml(message: LoginMessage = 'none'): string {
  const text = LOGIN_MESSAGES[message];
  return `${head('Lifeguard dashboard: sign in')}
</head>
<body class="login">
<main>
  <h1>Lifeguard dashboard</h1>
  <form method="post" action="/admin/login">
    <label for="key">Admin key</label>
    <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Sign in</button>
  </form>
  ${text ? `<p class="error" role="alert">${text}</p>` : ''}
</main>
</body>
</html>
`;
}

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#c0392b"/><circle cx="8" cy="8" r="3.5" fill="#fff"/></svg>';

export const APP_CSS = `*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2733;background:#f4f6f8}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#12324a;color:#fff}
header h1{font-size:1.1rem;margin:0 auto 0 0}
header form{margin:0}
button,select,input{font:inherit}
main{padding:1rem;display:flex;flex-direction:column;gap:1rem}
section,aside{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.8rem 1rem}
h2{font-size:1rem;margin:.2rem 0 .6rem}
h3{font-size:.9rem;margin:.8rem 0 .3rem}
.cards{display:flex;gap:1rem;background:none;border:0;padding:0}
.card{flex:1;background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.6rem 1rem;display:flex;flex-direction:column}
.card .label{color:#5b6770;font-size:.8rem}
.card .value{font-size:1.5rem;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.chart svg{width:100%;height:auto;display:block}
.chart .bar-bg{fill:#e8edf1}
.chart .bar{fill:#2f80c0}
.chart .bar.block{fill:#c0392b}
.chart text{font-size:11px;fill:#1d2733}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef1f4;white-space:nowrap}
th{font-weight:600;color:#5b6770;font-size:.8rem}
.num{text-align:right;font-variant-numeric:tabular-nums}
#events tbody tr{cursor:pointer}
#events tbody tr:hover,#events tbody tr:focus{background:#eef5fb;outline:none}
#events tbody tr.selected{background:#dbeaf7}
#events tbody tr.fresh{animation:fresh 2s ease-out}
@keyframes fresh{from{background:#fff3c4}to{background:transparent}}
.action-block{color:#c0392b;font-weight:600}
.action-redact,.action-pseudonymise{color:#8e5b00}
.action-warn,.action-shadow{color:#6c3fb5}
.filters{display:flex;gap:1rem;margin-bottom:.5rem}
.empty{color:#7a858e;margin:.3rem 0}
.status{font-size:.8rem;padding:.1rem .5rem;border-radius:1rem;background:#51606b}
.status.live{background:#2e8b57}
.banner{background:#fdecea;color:#8a1c12;border:1px solid #f3b8b1;border-radius:6px;padding:.6rem 1rem;margin:1rem 1rem 0}
aside dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
aside dt{color:#5b6770}
aside dd{margin:0;word-break:break-all}
aside pre{white-space:pre-wrap;word-break:break-word;background:#f4f6f8;padding:.5rem;border-radius:4px;margin:0}
.split{display:flex;gap:1rem;align-items:flex-start}
#decisions{flex:2;min-width:0;overflow-x:auto}
#detail{flex:1;min-width:18rem;position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow:auto}
[hidden]{display:none!important}
.detail-head{display:flex;justify-content:space-between;align-items:center}
body.login main{max-width:22rem;margin:4rem auto;background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:1.5rem}
body.login form{display:flex;flex-direction:column;gap:.6rem}
body.login .error{color:#8a1c12}
`;

/**
 * The page's script: plain ES2020 with no template literals, `${` or backslashes (this string is a template
 * literal). Data reaches the DOM only through textContent, setAttribute on SVG geometry, and option values.
 */
export const APP_JS = `'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var ACTIONS = ['allow', 'block', 'redact', 'pseudonymise', 'warn', 'log', 'shadow'];
  var STAGES = ['input', 'context', 'output', 'tool'];
  var MAX_ROWS = 500;
  var PAGE = 50;
  var state = {
    range: '1h',
    filters: { check: '', action: '', stage: '' },
    newest: null,
    oldest: null,
    rows: new Map(),
    selected: null,
    source: null,
    statsPending: null,
    statsAt: 0,
  };

  function $(id) { return document.getElementById(id); }

  // Bidi controls and invisible characters in logged names (a check, a category, a request id) are shown as
  // visible code points: a right-to-left override would otherwise reverse the label text after it.
  var HIDDEN = /[\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]/g;
  function visible(text) {
    return String(text).replace(HIDDEN, function (c) {
      return '\\u27e8U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + '\\u27e9';
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = visible(text);
    if (cls) node.className = cls;
    return node;
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = visible(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function banner(message) {
    var b = $('banner');
    b.textContent = message || '';
    b.hidden = !message;
  }

  function api(path) {
    return fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(function (res) {
      if (res.status === 401) {
        window.location.assign('/admin/login');
        throw new Error('Signed out.');
      }
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok) {
          var msg = body && body.error && body.error.message ? body.error.message : 'HTTP ' + res.status;
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  function pct(rate) { return (rate * 100).toFixed(rate > 0 && rate < 0.1 ? 2 : 1) + '%'; }
  function ms(v) { return v === null || v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1); }
  // In UTC, as the API reads a time without an offset and as the event's ISO time says: the same event shows
  // the same time in every browser's time zone.
  // A row whose ts is no valid date (written by an older version, or by hand) shows the number: toISOString
  // would throw and take the whole table (and the live feed started after it) down with it.
  function iso(ts) {
    var d = new Date(ts);
    return isNaN(d.getTime()) ? String(ts) : d.toISOString();
  }
  function time(ts) {
    var d = new Date(ts);
    if (isNaN(d.getTime())) return String(ts);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ':' + two(d.getUTCSeconds());
  }
  // Cut at a whole character: half an emoji shows as a replacement mark.
  function shorten(s, n) {
    if (s.length <= n) return s;
    var cut = n - 1;
    var c = s.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    return s.slice(0, cut) + '…';
  }

  /** Horizontal bars: items are {label, value (0..1 of the scale), text, cls}. */
  function bars(container, items, emptyText) {
    clear(container);
    if (items.length === 0) {
      container.appendChild(el('p', emptyText, 'empty'));
      return;
    }
    var row = 22;
    var svg = svgEl('svg', { viewBox: '0 0 420 ' + items.length * row, role: 'img' });
    items.forEach(function (item, i) {
      var y = i * row;
      var g = svgEl('g', { 'data-label': item.label });
      g.appendChild(svgEl('title', {}, item.label + ': ' + item.text));
      g.appendChild(svgEl('text', { x: 0, y: y + 15 }, shorten(item.label, 22)));
      g.appendChild(svgEl('rect', { x: 150, y: y + 4, width: 200, height: 14, rx: 2, class: 'bar-bg' }));
      var w = Math.max(0, Math.min(1, item.value)) * 200;
      g.appendChild(svgEl('rect', { x: 150, y: y + 4, width: w.toFixed(1), height: 14, rx: 2, class: 'bar ' + (item.cls || '') }));
      g.appendChild(svgEl('text', { x: 356, y: y + 15 }, item.text));
      svg.appendChild(g);
    });
    container.appendChild(svg);
  }

  function renderStats(s) {
    $('total').textContent = String(s.total);
    var blocked = s.counts.filter(function (c) { return c.action === 'block'; }).reduce(function (a, c) { return a + c.count; }, 0);
    $('blocked').textContent = String(blocked);
    $('block-rate').textContent = s.total ? pct(blocked / s.total) : '–';

    bars($('block-by-check'), s.blockRateByCheck.map(function (r) {
      return { label: r.check, value: r.rate, text: pct(r.rate) + ' of ' + r.total, cls: 'block' };
    }), 'No decisions in this range.');
    bars($('block-by-category'), s.blockRateByCategory.map(function (r) {
      return { label: r.category, value: r.rate, text: pct(r.rate) + ' of ' + r.total, cls: 'block' };
    }), 'No categories in this range.');

    var body = $('latency-body');
    clear(body);
    var maxP99 = s.latency.reduce(function (a, l) { return Math.max(a, l.p99 || 0); }, 0) || 1;
    s.latency.forEach(function (l) {
      var tr = document.createElement('tr');
      tr.appendChild(el('td', l.check));
      tr.appendChild(el('td', l.count, 'num'));
      tr.appendChild(el('td', ms(l.p50), 'num'));
      tr.appendChild(el('td', ms(l.p95), 'num'));
      tr.appendChild(el('td', ms(l.p99), 'num'));
      body.appendChild(tr);
    });
    bars($('latency-chart'), s.latency.map(function (l) {
      return { label: l.check + ' p95', value: (l.p95 || 0) / maxP99, text: ms(l.p95) + ' ms' };
    }), '');

    var maxRule = s.topRules.reduce(function (a, r) { return Math.max(a, r.count); }, 0) || 1;
    bars($('top-rules-chart'), s.topRules.map(function (r) {
      return { label: r.category ? r.check + ' / ' + r.category : r.check, value: r.count / maxRule, text: String(r.count) };
    }), 'No check acted in this range.');

    var select = $('f-check');
    var known = {};
    Array.prototype.forEach.call(select.options, function (o) { known[o.value] = true; });
    s.blockRateByCheck.forEach(function (r) {
      if (known[r.check]) return;
      var o = el('option', r.check);
      o.value = r.check;
      select.appendChild(o);
    });
  }

  function loadStats() {
    state.statsAt = Date.now();
    return api('/admin/api/stats?since=' + encodeURIComponent(state.range)).then(function (s) {
      banner('');
      renderStats(s);
    }, function (e) { banner(e.message); });
  }

  /** Stats again soon after live events: at most once every 2 s. */
  function statsSoon() {
    if (state.statsPending) return;
    var wait = Math.max(0, 2000 - (Date.now() - state.statsAt));
    state.statsPending = setTimeout(function () {
      state.statsPending = null;
      loadStats();
    }, wait);
  }

  function matches(e) {
    var f = state.filters;
    return (!f.check || e.check === f.check) && (!f.action || e.action === f.action) && (!f.stage || e.stage === f.stage);
  }

  function row(e) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-id', e.id);
    tr.tabIndex = 0;
    var when = el('td', time(e.ts));
    when.title = iso(e.ts);
    tr.appendChild(when);
    var req = el('td', shorten(e.requestId, 10));
    req.title = visible(e.requestId); // a tooltip is text too: the same bidi and zero-width rule
    tr.appendChild(req);
    tr.appendChild(el('td', e.stage));
    tr.appendChild(el('td', e.check));
    tr.appendChild(el('td', e.category || ''));
    tr.appendChild(el('td', e.action, ACTIONS.indexOf(e.action) >= 0 ? 'action-' + e.action : ''));
    tr.appendChild(el('td', typeof e.score === 'number' ? e.score.toFixed(3) : '', 'num'));
    tr.appendChild(el('td', ms(e.latencyMs), 'num'));
    if (e.id === state.selected) tr.classList.add('selected');
    return tr;
  }

  function trim() {
    var body = $('events-body');
    while (body.rows.length > MAX_ROWS) {
      var last = body.rows[body.rows.length - 1];
      state.rows.delete(last.getAttribute('data-id'));
      body.removeChild(last);
    }
    if (body.rows.length) state.oldest = body.rows[body.rows.length - 1].getAttribute('data-id');
    $('events-empty').hidden = body.rows.length > 0;
  }

  function noteNewest(id) { if (!state.newest || id > state.newest) state.newest = id; }

  function loadEvents(reset) {
    var q = ['limit=' + PAGE];
    Object.keys(state.filters).forEach(function (k) {
      if (state.filters[k]) q.push(k + '=' + encodeURIComponent(state.filters[k]));
    });
    if (!reset && state.oldest) q.push('before=' + encodeURIComponent(state.oldest));
    return api('/admin/api/events?' + q.join('&')).then(function (page) {
      var body = $('events-body');
      if (reset) {
        clear(body);
        state.rows.clear();
        state.oldest = null;
      }
      page.events.forEach(function (e) {
        noteNewest(e.id);
        if (state.rows.has(e.id)) return;
        state.rows.set(e.id, true);
        body.appendChild(row(e));
      });
      trim();
      $('older').hidden = !page.next;
    }, function (e) { banner(e.message); });
  }

  function addLive(e) {
    noteNewest(e.id);
    statsSoon();
    if (!matches(e) || state.rows.has(e.id)) return;
    state.rows.set(e.id, true);
    var tr = row(e);
    tr.classList.add('fresh');
    var body = $('events-body');
    body.insertBefore(tr, body.firstChild);
    trim();
  }

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', name));
    dl.appendChild(el('dd', value));
  }

  function showDetail(id) {
    state.selected = id;
    Array.prototype.forEach.call($('events-body').rows, function (tr) {
      tr.classList.toggle('selected', tr.getAttribute('data-id') === id);
    });
    return api('/admin/api/events/' + encodeURIComponent(id)).then(function (res) {
      var e = res.event;
      var dl = $('detail-fields');
      clear(dl);
      field(dl, 'id', e.id);
      field(dl, 'time', iso(e.ts));
      field(dl, 'request', e.requestId);
      field(dl, 'route', e.route);
      field(dl, 'API key', e.apiKeyId);
      field(dl, 'policy', e.policy);
      field(dl, 'model', e.model);
      field(dl, 'stage', e.stage);
      field(dl, 'check', e.check);
      field(dl, 'category', e.category);
      field(dl, 'score', typeof e.score === 'number' ? String(e.score) : '');
      field(dl, 'action', e.action);
      field(dl, 'latency', ms(e.latencyMs) + ' ms');
      field(dl, 'error', e.error);
      // The excerpt is the prompt itself: a right-to-left override in it must not reorder what the admin reads.
      $('detail-excerpt').textContent = visible(e.excerpt || '(no excerpt)');
      $('detail').hidden = false;
    }, function (e) { banner(e.message); });
  }

  function setStatus(text, live) {
    var s = $('live-status');
    s.textContent = text;
    s.classList.toggle('live', !!live);
  }

  function connectLive() {
    if (state.source) state.source.close();
    var url = '/admin/api/live?after=' + encodeURIComponent(state.newest || '00000000000000000000000000');
    var source = new EventSource(url);
    state.source = source;
    source.addEventListener('open', function () { setStatus('live', true); });
    source.addEventListener('decision', function (m) {
      var e;
      try { e = JSON.parse(m.data); } catch (err) { return; }
      addLive(e);
    });
    source.addEventListener('gap', function () { loadEvents(true); });
    source.addEventListener('error', function () {
      if (source.readyState !== EventSource.CLOSED) {
        setStatus('reconnecting…', false);
        return;
      }
      // Refused (signed out, audit log off, too many viewers): find out why, then try again later.
      setStatus('offline', false);
      api('/admin/api/stats?since=1m').then(function () {
        setTimeout(connectLive, 5000);
      }, function (err) {
        banner(err.message);
        setTimeout(connectLive, 15000);
      });
    });
  }

  function fillSelect(id, values) {
    var select = $(id);
    values.forEach(function (v) {
      var o = el('option', v);
      o.value = v;
      select.appendChild(o);
    });
  }

  function start() {
    fillSelect('f-action', ACTIONS);
    fillSelect('f-stage', STAGES);
    $('range').addEventListener('change', function (ev) {
      state.range = ev.target.value;
      loadStats();
    });
    ['check', 'action', 'stage'].forEach(function (k) {
      $('f-' + k).addEventListener('change', function (ev) {
        state.filters[k] = ev.target.value;
        loadEvents(true);
      });
    });
    $('older').addEventListener('click', function () { loadEvents(false); });
    var body = $('events-body');
    body.addEventListener('click', function (ev) {
      var tr = ev.target.closest('tr[data-id]');
      if (tr) showDetail(tr.getAttribute('data-id'));
    });
    body.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      var tr = ev.target.closest('tr[data-id]');
      if (!tr) return;
      ev.preventDefault();
      showDetail(tr.getAttribute('data-id'));
    });
    $('detail-close').addEventListener('click', function () {
      $('detail').hidden = true;
      state.selected = null;
    });
    loadStats();
    loadEvents(true).then(connectLive);
    setInterval(loadStats, 15000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
