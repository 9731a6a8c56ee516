import { cutTextsWhole, cutWhole } from './graphemes.js';

/**
 * The page's own script (plain browser JavaScript, inlined after the data): renders the report data
 * into sections, charts (vega-embed; canvas renderer unless the data says `renderer: 'svg'`), the best trial and a sortable, filterable trial
 * table; with `live`, follows server-sent events and re-renders when the study changes.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  ${cutWhole.toString()}
  ${cutTextsWhole.toString()}
  var state = { sort: 0, sortName: undefined, asc: true, filter: '', stateFilter: '', limit: 200 };
  var printAll = function () {};
  var printDone = function () {};
  var shownBefore = null;
  window.addEventListener('beforeprint', function () { printAll(); });
  window.addEventListener('afterprint', function () { printDone(); });
  var current = null;
  window.parzenViews = {};

  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'html') node.innerHTML = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function prose(s) { return escapeHtml(s).replace(/\x60([^\x60]+)\x60/g, '<code>$1</code>'); }
  function show(v) {
    if (v === null || v === undefined) return '';
    // Integers as they are up to 2^53 (trial numbers, counts); beyond, and fractions, to 6 significant
    // digits, with an exponent from 1e15 on (JavaScript writes out every digit below 1e21).
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) return String(v);
      var r = Number(v.toPrecision(6));
      return Math.abs(r) >= 1e15 ? r.toExponential() : String(r);
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  function renderTable(page, container) {
    var t = page.table;
    container.replaceChildren();
    if (!t) return;
    // The sorted column followed by its name: a live page whose table gains a column (a step column once a trial
    // reports) keeps the reader's sort on it, not on whichever column moved to its place (review 120).
    if (state.sortName !== undefined) state.sort = Math.max(0, t.columns.indexOf(state.sortName));
    // A table ranked best first (a comparison's) opens in its given order, its ranking column marked sorted.
    var given = state.sortName === undefined && t.rankedBy !== undefined && t.columns.indexOf(t.rankedBy) >= 0;
    if (given) {
      state.sort = t.columns.indexOf(t.rankedBy);
      state.asc = !(t.highestFirst && t.highestFirst.indexOf(t.rankedBy) >= 0);
    }
    // Named for screen readers, not by a placeholder alone (trial 92).
    var input = h('input', { type: 'search', placeholder: 'filter: text in any cell', id: 'table-filter', value: state.filter, 'aria-label': 'Filter ' + (t.columns[0] === 'variant' ? 'variants' : 'trials') + ' by text in any cell' });
    var select = h('select', { id: 'table-state', 'aria-label': 'Trial state' });
    ['', 'complete', 'failed', 'pruned', 'running'].forEach(function (s) {
      var o = h('option', { value: s, text: s === '' ? 'all states' : s });
      if (s === state.stateFilter) o.selected = true;
      select.appendChild(o);
    });
    var count = h('span', { class: 'count' });
    var table = h('table', { id: 'trial-table' });
    var head = h('tr');
    t.columns.forEach(function (c, i) {
      // A button in each header, so sorting works from the keyboard, and aria-sort on the sorted column (trial 92).
      var sorted = state.sort === i;
      // Its text is the column's name, the header's name too (review 96: an aria-label made every header "Sort by …").
      var button = h('button', { type: 'button', class: 'sort', text: c + (sorted ? (state.asc ? ' ▲' : ' ▼') : '') });
      var th = h('th', { 'data-col': String(i), scope: 'col' }, button);
      if (t.legend && Object.prototype.hasOwnProperty.call(t.legend, c)) th.setAttribute('title', t.legend[c]);
      if (sorted) th.setAttribute('aria-sort', state.asc ? 'ascending' : 'descending');
      button.addEventListener('click', function () {
        if (state.sort === i) state.asc = !state.asc;
        else { state.sort = i; state.asc = !(t.highestFirst && t.highestFirst.indexOf(c) >= 0); }
        state.sortName = c;
        given = false;
        renderTable(page, container);
        var again = container.querySelector('th[data-col="' + i + '"] button');
        if (again) again.focus();
      });
      head.appendChild(th);
    });
    table.appendChild(h('thead', null, head));
    var body = h('tbody');
    table.appendChild(body);
    var more = h('button', { type: 'button', class: 'more', text: 'show more' });
    // A pruned trial's value is an intermediate one, not a final loss (a user trial): said in its cell, and sorted
    // after every final value, whichever the order.
    var mid = t.intermediate, midCol = mid ? t.columns.indexOf(mid.column) : -1;
    function stepOf(i) { return mid && Object.prototype.hasOwnProperty.call(mid.at, i) ? mid.at[i] : undefined; }
    function cell(i, col) {
      var text = show(t.rows[i][col]), step = col === midCol ? stepOf(i) : undefined;
      if (step === undefined) return text;
      return text + (step === null ? ' (intermediate)' : ' (intermediate, at step ' + step + ')');
    }
    function rank(i, col) {
      var v = t.rows[i][col];
      return v === null || v === undefined ? 2 : col === midCol && stepOf(i) !== undefined ? 1 : 0;
    }
    function fill() {
      // Without case, and NFC on both sides: an accent typed as one character finds it stored as a letter and a
      // combining mark (trial 183: NFC ééé found no row of a name saved NFD).
      var q = state.filter.normalize('NFC').toLowerCase();
      var rows = [];
      t.rows.forEach(function (r, i) {
        if (state.stateFilter && r[1] !== state.stateFilter) return;
        if (!q || r.some(function (_, col) { return cell(i, col).normalize('NFC').toLowerCase().indexOf(q) >= 0; })) rows.push(i);
      });
      var col = state.sort, dir = state.asc ? 1 : -1;
      if (!given) rows.sort(function (i, j) {
        var ranks = rank(i, col) - rank(j, col);
        if (ranks !== 0 || rank(i, col) === 2) return ranks;
        var x = t.rows[i][col], y = t.rows[j][col];
        if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
        return String(x).localeCompare(String(y)) * dir;
      });
      body.replaceChildren();
      rows.slice(0, state.limit).forEach(function (i) {
        var tr = h('tr');
        t.rows[i].forEach(function (_, col) { tr.appendChild(h('td', { text: cell(i, col) })); });
        body.appendChild(tr);
      });
      count.textContent = ' ' + Math.min(rows.length, state.limit) + ' of ' + rows.length + ' matching rows shown';
      more.hidden = rows.length <= state.limit;
    }
    input.addEventListener('input', function () { state.filter = input.value; state.limit = 200; fill(); });
    select.addEventListener('change', function () { state.stateFilter = select.value; state.limit = 200; fill(); });
    more.addEventListener('click', function () { state.limit += 1000; fill(); });
    // Printed, the table shows every row (trial 92: the print kept the first rows of its scroll box).
    // And back to what was shown, after (review 96).
    printAll = function () { if (state.limit < t.rows.length) { shownBefore = state.limit; state.limit = t.rows.length; fill(); } };
    printDone = function () { if (shownBefore !== null) { state.limit = shownBefore; shownBefore = null; fill(); } };
    var byState = t.columns[1] === 'state';
    // What the marker and test columns mean, beside the table (their headers' titles say it too).
    if (t.legend) Object.keys(t.legend).forEach(function (c) {
      if (t.columns.indexOf(c) >= 0) container.appendChild(h('p', { class: 'legend', html: '<strong>' + escapeHtml(c) + '</strong>: ' + prose(t.legend[c]) }));
    });
    container.appendChild(h('div', { class: 'table-controls' }, input, byState ? select : null, count));
    container.appendChild(h('div', { class: 'table-wrap' }, table));
    container.appendChild(more);
    fill();
  }

  /** Where the keyboard was (the filter, with its caret, or a sort button), to put it back after a re-render. */
  function focusNow() {
    var node = document.activeElement;
    if (!node || node === document.body) return null;
    if (node.id === 'table-filter') return { selector: '#table-filter', caret: node.selectionStart };
    if (node.id) return { selector: '#' + node.id };
    var th = node.closest && node.closest('th[data-col]');
    return th ? { selector: 'th[data-col="' + th.getAttribute('data-col') + '"] button' } : null;
  }
  function focusAgain(where) {
    if (!where) return;
    var node = document.querySelector(where.selector);
    if (!node) return;
    node.focus();
    if (typeof where.caret === 'number' && node.setSelectionRange) node.setSelectionRange(where.caret, where.caret);
  }

  /**
   * Said after a live page's status when its study had no trial running (trial 141: a finished run only stopped
   * changing): at the time given, or the update's when none is.
   */
  function idle(page, at) {
    return page.running === 0 ? ' No trial running' + (at ? ' at ' + at : '') + '.' : '';
  }

  /** The best trial's section: its number, loss, active parameters and attrs (attrs.NAME, as the table names them). */
  function bestSection(page) {
    var dl = h('table', { class: 'best' });
    dl.appendChild(h('tr', null, h('th', { text: 'trial' }), h('td', { text: String(page.best.number) })));
    dl.appendChild(h('tr', null, h('th', { text: 'loss' }), h('td', { text: show(page.best.loss) })));
    Object.keys(page.best.params).forEach(function (k) {
      // Only active parameters are listed: null here is a choice's option, shown as parzen trials does.
      var v = page.best.params[k];
      dl.appendChild(h('tr', null, h('th', { text: k }), h('td', { text: v === null ? 'null' : show(v) })));
    });
    // Text nodes only (textContent): an attribute's name and value are the objective's, never markup.
    Object.keys(page.best.attrs || {}).forEach(function (k) {
      var v = page.best.attrs[k];
      dl.appendChild(h('tr', null, h('th', { text: 'attrs.' + k }), h('td', { text: v === null ? 'null' : show(v) })));
    });
    return h('section', { id: 'best' }, h('h2', { text: 'Best trial' }), dl);
  }

  /** A section of charts: its text, and a figure per chart, whose drawing is added to jobs. */
  function chartSection(s, jobs) {
    var sec = h('section', { id: s.id }, h('h2', { text: s.title }));
    s.text.forEach(function (p) { sec.appendChild(h('p', { html: prose(p) })); });
    s.charts.forEach(function (c) {
      var div = h('div', { id: 'chart-' + c.id, class: 'chart', 'data-chart': c.id });
      // The chart's accessible name and description: its caption, not Vega's generic "Vega visualization" (trial 92).
      var spec = c.spec;
      if (spec && typeof spec === 'object' && !spec.description) spec = Object.assign({}, spec, { description: c.description.replace(/\x60/g, '') });
      c = Object.assign({}, c, { spec: spec });
      sec.appendChild(h('figure', null, div, h('figcaption', { html: prose(c.description) })));
      jobs.push({ chart: c, div: div });
    });
    return sec;
  }

  function render(page) {
    // A live update rebuilds the page: the keyboard stays where it was (review 96: it went to the page).
    var focused = focusNow();
    current = page;
    Object.keys(window.parzenViews).forEach(function (k) { window.parzenViews[k].finalize(); });
    window.parzenViews = {};
    document.title = page.title;
    var root = document.getElementById('report');
    root.replaceChildren();
    root.appendChild(h('h1', { text: page.title }));
    if (page.live) root.appendChild(h('p', { id: 'live-status', class: 'live', text: 'Live: updates as trials finish.' + idle(page, new Date().toLocaleTimeString()) }));
    var notes = h('ul', { class: 'notes' });
    page.notes.forEach(function (n) { notes.appendChild(h('li', { html: prose(n) })); });
    root.appendChild(notes);
    var tableTitle = (page.table && page.table.title) || 'Trials';
    // The page's parts in the page's order, one list for both the links and the sections (trial 141: the
    // links put "Best trial", the first section, fifth).
    var parts = [];
    if (page.best) parts.push({ id: 'best', title: 'Best trial' });
    page.sections.forEach(function (s) { if (s.charts.length || s.text.length) parts.push({ id: s.id, title: s.title, section: s }); });
    parts.push({ id: 'trials', title: tableTitle, linked: !!page.table });
    var nav = h('nav');
    parts.forEach(function (part) { if (part.linked !== false) nav.appendChild(h('a', { href: '#' + part.id, text: part.title })); });
    root.appendChild(nav);
    var jobs = [];
    var tableBox = h('div');
    parts.forEach(function (part) {
      if (part.id === 'best') root.appendChild(bestSection(page));
      else if (part.section) root.appendChild(chartSection(part.section, jobs));
      else root.appendChild(h('section', { id: part.id }, h('h2', { text: part.title }), tableBox));
    });
    renderTable(page, tableBox);
    focusAgain(focused);
    var started = performance.now();
    // One chart after another, yielding between them, so the page stays responsive and each is timed.
    var chain = Promise.resolve();
    jobs.forEach(function (job) {
      chain = chain.then(function () {
        var t0 = performance.now();
        return vegaEmbed(job.div, job.chart.spec, { renderer: page.renderer || 'canvas', actions: false }).then(function (result) {
          window.parzenViews[job.chart.id] = result.view;
          job.div.setAttribute('data-render-ms', String(Math.round(performance.now() - t0)));
          // Long labels cut between whole characters, not by Vega (inside an emoji or before an accent), then redrawn.
          var changed = cutTextsWhole(result.view.scenegraph().root, function (item, text) {
            return vega.textMetrics.width(Object.create(item, { limit: { value: 0 } }), text);
          });
          if (changed.length === 0) return;
          changed.forEach(function (item) { result.view.dirty(item); });
          return result.view.runAsync();
        }, function (error) {
          // Said in its place, and the next charts drawn (trial 95: a caption under nothing, and the chain stopped).
          var message = error && error.message ? error.message : String(error);
          console.error('parzen report: a chart failed to render: ' + message);
          job.div.setAttribute('data-failed', message);
          job.div.textContent = 'This chart could not be drawn: ' + message;
        });
      });
    });
    return chain.then(function () {
      document.body.setAttribute('data-rendered', page.version);
      document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
    }, function (error) {
      console.error('parzen report: a chart failed to render: ' + (error && error.message ? error.message : error));
    });
  }

  document.body.setAttribute('data-script-ms', String(Math.round(performance.now())));
  var page = JSON.parse(document.getElementById('parzen-data').textContent);
  render(page);
  if (page.live && window.EventSource) {
    var source = new EventSource('events?version=' + encodeURIComponent(page.version));
    var lost = false;
    var shownAt = new Date().toLocaleTimeString();
    var say = function (text, away) {
      var status = document.getElementById('live-status');
      if (!status) return;
      status.textContent = text;
      status.className = away ? 'live lost' : 'live';
    };
    source.addEventListener('report', function (event) {
      var next = JSON.parse(event.data);
      next.live = true;
      render(next).then(function () {
        shownAt = new Date().toLocaleTimeString();
        lost = false;
        failing = null;
        say('Live: updated ' + shownAt + '.' + idle(next), false);
      });
    });
    // A poll of the server that failed (reading the study, or building its page): said here, not only in the
    // server's log (trial 141), until a poll works again.
    var failing = null;
    source.addEventListener('status', function (event) {
      var status = JSON.parse(event.data);
      var at = new Date().toLocaleTimeString();
      if (status.error) {
        failing = status.error;
        say('Not live: ' + status.error + ' (' + at + '); this is the study as read at ' + shownAt + '. Trying again.', true);
      } else if (failing !== null) {
        failing = null;
        say('Live: the server reads the study again (' + at + '); updates as trials finish.' + idle(current), false);
      }
    });
    // The server stopped (Ctrl-C) or cannot be reached: said, not "Live" on a page that no longer changes
    // (trial 141). The browser keeps trying, and says when it is back.
    source.addEventListener('error', function () {
      lost = true;
      say('Not live: the report server cannot be reached (stopped?); this is the study as read at ' + shownAt + '. Trying again.', true);
    });
    source.addEventListener('open', function () {
      if (!lost) return;
      lost = false;
      say('Live: connected again at ' + new Date().toLocaleTimeString() + '; updates as trials finish.' + idle(current), false);
    });
  }
})();
`;
