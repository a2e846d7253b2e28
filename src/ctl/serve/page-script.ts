// The live page's script, sent inline under a nonce (the page's Content-Security-Policy allows
// no other script). No framework, no build step, nothing fetched but this server's own routes.
// The server draws the HTML (page-fragments.ts, the report's rendering, escaped there); this
// puts it in place, follows the store's changes, and builds the attribute view with
// textContent only, so stored text never becomes markup here.

export const PAGE_SCRIPT = `
'use strict';
const token = new URLSearchParams(location.search).get('token') || '';
const auth = { headers: { Authorization: 'Bearer ' + token } };
const $ = (id) => document.getElementById(id);
const form = $('filters');
const unfolded = new Set();
let chosenSpan = '';
let otlp = { run: '', version: -1, spans: new Map() };
let version = 0;
// Fetches may answer out of order: only the latest one asked is put in place, so an older,
// slower answer never replaces a newer one (and no later change may come to correct it).
let listAsked = 0;
let sessionAsked = 0;
// What is in place: a store change that leaves the HTML as it was replaces nothing, so a row
// under the pointer, a fold or a selection stays as it is.
let listHtml = '';
let sessionHtml = '';

async function text(path) {
  const res = await fetch(path, auth);
  const body = await res.text();
  if (!res.ok) {
    let reason = body;
    try { reason = JSON.parse(body).error.message; } catch (e) {}
    throw new Error(res.status + ': ' + reason);
  }
  return body;
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const el of form.elements) if (el.name && el.value.trim() !== '') params.set(el.name, el.value.trim());
  params.set('limit', '200');
  return params.toString();
}

function say(where, message) {
  const p = document.createElement('p');
  p.className = 'bad';
  p.textContent = message;
  where.replaceChildren(p);
}

async function loadList() {
  const where = $('sessions');
  const asked = ++listAsked;
  const shown = version;
  try {
    const html = await text('/page/sessions?' + filterQuery());
    if (asked !== listAsked) return;
    if (html !== listHtml) where.innerHTML = html;
    listHtml = html;
    where.dataset.version = String(shown);
  } catch (error) { if (asked === listAsked) { listHtml = ''; say(where, String(error.message || error)); } }
}

function selectedRun() {
  return location.hash.startsWith('#s-') ? decodeURIComponent(location.hash.slice(3)) : '';
}

async function loadSession() {
  const run = selectedRun();
  const where = $('session');
  const asked = ++sessionAsked;
  const shown = version;
  if (!run) { sessionHtml = ''; where.replaceChildren(); $('attributes').replaceChildren(); return; }
  try {
    const html = await text('/page/sessions/' + encodeURIComponent(run));
    if (asked !== sessionAsked) return;
    const same = html === sessionHtml && where.dataset.run === run;
    sessionHtml = html;
    where.dataset.run = run;
    where.dataset.version = String(shown);
    if (!same) {
      where.innerHTML = html;
      foldSubagents(where);
      for (const row of where.querySelectorAll('tr[data-span]')) {
        row.addEventListener('click', () => showSpan(run, row.dataset.span));
        if (row.dataset.span === chosenSpan) row.classList.add('chosen');
      }
    }
    if (chosenSpan) await showSpan(run, chosenSpan);
  } catch (error) { if (asked === sessionAsked) { sessionHtml = ''; say(where, String(error.message || error)); } }
}

// A subagent's spans are folded under the tool call that started it; a click on the tool unfolds them.
function foldSubagents(where) {
  const rows = [...where.querySelectorAll('table.waterfall tr[data-depth]')];
  rows.forEach((row, i) => {
    if (!row.classList.contains('agent')) return;
    const depth = Number(row.dataset.depth);
    let parent;
    for (let j = i - 1; j >= 0; j--) if (Number(rows[j].dataset.depth) < depth) { parent = rows[j]; break; }
    if (!parent || !parent.classList.contains('tool')) return;
    const hidden = [row];
    for (let j = i + 1; j < rows.length && Number(rows[j].dataset.depth) > depth; j++) hidden.push(rows[j]);
    const open = unfolded.has(parent.dataset.span);
    for (const h of hidden) h.hidden = !open;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'fold';
    const label = () => (hidden[0].hidden ? '▸ ' : '▾ ') + 'subagent, ' + hidden.length + ' span' + (hidden.length === 1 ? '' : 's');
    toggle.textContent = label();
    toggle.addEventListener('click', (event) => {
      event.stopPropagation();
      const show = hidden[0].hidden;
      for (const h of hidden) h.hidden = !show;
      if (show) unfolded.add(parent.dataset.span); else unfolded.delete(parent.dataset.span);
      toggle.textContent = label();
    });
    parent.querySelector('td.span').append(' ', toggle);
  });
}

function anyValue(v) {
  if (!v || typeof v !== 'object') return '';
  if ('stringValue' in v) return String(v.stringValue);
  if ('intValue' in v) return String(v.intValue);
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('boolValue' in v) return String(v.boolValue);
  if (v.arrayValue) return '[' + (v.arrayValue.values || []).map(anyValue).join(', ') + ']';
  return JSON.stringify(v);
}

async function spansOf(run) {
  if (otlp.run !== run || otlp.version !== version) {
    const request = JSON.parse(await text('/api/traces/' + encodeURIComponent(run) + '/spans'));
    const spans = new Map();
    for (const rs of request.resourceSpans || []) for (const ss of rs.scopeSpans || []) for (const s of ss.spans || []) spans.set(s.spanId, s);
    otlp = { run, version, spans };
  }
  return otlp.spans;
}

function row(table, key, value) {
  const tr = table.insertRow();
  const th = document.createElement('th');
  th.textContent = key;
  const td = tr.insertCell();
  td.textContent = value;
  tr.append(th, td);
}

async function showSpan(run, spanId) {
  const where = $('attributes');
  chosenSpan = spanId;
  for (const r of document.querySelectorAll('tr.chosen')) r.classList.remove('chosen');
  for (const r of document.querySelectorAll('tr[data-span]')) if (r.dataset.span === spanId) r.classList.add('chosen');
  let span;
  try { span = (await spansOf(run)).get(spanId); } catch (error) { say(where, String(error.message || error)); return; }
  if (!span) { where.replaceChildren(); return; }
  const h = document.createElement('h3');
  h.textContent = span.name;
  const table = document.createElement('table');
  table.className = 'attributes';
  row(table, 'span id', span.spanId);
  if (span.status && span.status.code === 2) row(table, 'error', span.status.message || 'error');
  for (const a of span.attributes || []) row(table, a.key, anyValue(a.value));
  for (const e of span.events || []) row(table, 'event', e.name + ' ' + (e.attributes || []).map((a) => a.key + '=' + anyValue(a.value)).join(' '));
  where.replaceChildren(h, table);
}

let timer;
form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(loadList, 200); });
form.addEventListener('submit', (event) => { event.preventDefault(); loadList(); });
window.addEventListener('hashchange', () => { chosenSpan = ''; $('attributes').replaceChildren(); loadSession(); });

const events = new EventSource('/api/events?token=' + encodeURIComponent(token));
events.addEventListener('store', (event) => {
  version = Number(JSON.parse(event.data).version);
  document.body.dataset.version = String(version);
  loadList();
  loadSession();
});
events.addEventListener('open', () => { $('live').textContent = 'live'; });
events.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; });
loadList();
loadSession();
`;
