// @ts-check
/**
 * The areas of the page, each a function from the desk's state to a DOM node.
 * Views only read state; what they change goes through the `Actions` they get.
 */
import { h, tablePager } from './dom.js';
import { byText, money, partnerName, STATUS_LABELS, statusLabel } from './format.js';
import { conflictsView } from './conflicts.js';
import { leadInbox, leadPage } from './leads-view.js';
import { programmeEditor } from './programme-editor.js';
import { registerView } from './register.js';
import { reportsView } from './reports-view.js';
import { sandboxView } from './sandbox-view.js';
import { protectionLeft, registrationView, reviewView } from './review.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('./desk.js').Overview} Overview
 * @typedef {import('../pkg/dealreg.js').Registration} Registration
 * @typedef {import('../pkg/dealreg.js').Programme} Programme
 * @typedef {{
 *   exportBackup: () => void,
 *   chooseBackupFile: (file: File) => void,
 *   loadDemo: () => void,
 *   reset: () => void,
 *   exportSubmission: () => void,
 *   importSubmissions: (files: File[]) => void,
 *   exportDecisions: (partnerId: string) => void,
 *   importDecisions: (file: File) => void,
 *   exportProgramme: () => void,
 *   exportCsv: (table: 'registrations' | 'leads', bom: boolean) => void,
 *   chooseProgrammeFile: (file: File) => void,
 *   trustKeyOf: (file: File) => void,
 *   createKey: () => void,
 *   exportKey: () => void,
 *   importKey: (file: File) => void,
 *   open: (hash: string) => void,
 * }} Actions
 */

/** Every area, in navigation order; `roles` says whose navigation shows it. */
const ALL_AREAS = /** @type {const} */ ([
  ['overview', 'Overview', ['vendor', 'partner']],
  ['review', 'Review queue', ['vendor']],
  ['register', 'Register a deal', ['partner']],
  ['registrations', 'Registrations', ['vendor', 'partner']],
  ['conflicts', 'Conflicts', ['vendor']],
  ['leads', 'Leads', ['vendor', 'partner']],
  ['reports', 'Reports', ['vendor']],
  ['sandbox', 'Sandbox', ['vendor', 'partner']],
  ['programme', 'Programme', ['vendor', 'partner']],
  ['files', 'Files', ['vendor', 'partner']],
]);

/** @typedef {typeof ALL_AREAS[number][0]} Area */

/**
 * The navigation of a desk of this role.
 * @param {'vendor' | 'partner'} role
 * @returns {[Area, string][]}
 */
export function areasFor(role) {
  return ALL_AREAS.filter(([, , roles]) => /** @type {readonly string[]} */ (roles).includes(role)).map(([id, label]) => [id, label]);
}

/** @param {string} status */
function badge(status) {
  const label = /** @type {Record<string, string>} */ (STATUS_LABELS)[status] ?? status;
  return h('span', { class: `badge badge-${status}` }, label);
}

/** @param {string} title @param {string} [lead] */
export function heading(title, lead) {
  return h('header', { class: 'area-head' }, h('h1', {}, title), lead ? h('p', { class: 'lead' }, lead) : null);
}

function noProgramme() {
  return h('div', { class: 'empty' },
    h('p', {}, 'This desk holds no programme yet.'),
    h('p', {}, 'Load the demo data or restore a backup in ', h('a', { href: '#files' }, 'Files'), '.'));
}

/**
 * @param {string} label
 * @param {string | number} value
 * @param {string} [note]
 */
export function stat(label, value, note) {
  return h('div', { class: 'stat' },
    h('div', { class: 'stat-label' }, label),
    // Amounts in the millions would overflow the card at full size.
    h('div', { class: String(value).length > 9 ? 'stat-value long' : 'stat-value' }, String(value)),
    note ? h('div', { class: 'stat-note' }, note) : null);
}

/**
 * The landing view, drawn from the desk's overview (its figures are worked
 * out in the core: the records are not handed over to draw it).
 * @param {Overview} o
 */
export function overview(o) {
  const isVendor = o.role?.kind === 'vendor';
  const programme = o.programme;
  if (!programme) return h('section', {}, heading('Overview'), noProgramme());
  const currency = programme.currency;
  const spend = o.campaigns.reduce((sum, c) => sum + c.cost, 0);
  const offers = `${o.offersToAnswer} offer${o.offersToAnswer === 1 ? '' : 's'} to answer`;
  const events = o.latest;
  return h('section', {},
    heading('Overview', `${programme.name}, run by ${programme.vendor}: ${programme.starts} to ${programme.ends}.`),
    h('div', { class: 'stats' },
      stat('Open registrations', o.open, `${money(o.pipeline, currency)} pipeline`),
      stat('Weighted forecast', money(o.weighted, currency), 'by stage win probability'),
      stat(isVendor ? 'Awaiting decision' : 'Awaiting the vendor', o.awaitingDecision, `review SLA ${programme.approval.reviewSlaBusinessDays} business days`),
      stat('Won', o.won, money(o.wonValue, currency)),
      stat('Active leads', o.activeLeads, isVendor ? `${o.unassignedLeads} waiting for a partner` : offers),
      stat('Campaigns', o.campaigns.length, `${money(spend, currency)} spent`)),
    h('h2', {}, 'Latest on this desk'),
    events.length === 0
      ? h('p', { class: 'muted' }, 'Nothing has happened on this desk yet.')
      : h('ol', { class: 'events' }, events.map((e) =>
        h('li', {}, h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')), ' ', h('strong', {}, e.actor), ' ', eventDetail(e.detail)))));
}

/**
 * An event's detail; a long one (thousands of ids expired at once) folded
 * after its start, the whole of it a click away.
 * @param {string} detail
 */
function eventDetail(detail) {
  if (detail.length <= 240) return detail;
  return h('details', { class: 'long-detail' }, h('summary', {}, `${detail.slice(0, 200)}… (show all)`), h('p', {}, detail));
}

/**
 * The CSV export of a table, with the byte-order mark spreadsheet programs want.
 * @param {'registrations' | 'leads'} table
 * @param {Actions} actions
 */
function csvExport(table, actions) {
  const bom = h('input', { type: 'checkbox', id: `${table}-csv-bom`, checked: true });
  return h('span', { class: 'csv-export push' },
    h('label', { class: 'check small' }, bom, ' for Excel'),
    h('button', { onclick: () => actions.exportCsv(table, bom.checked) }, 'Export CSV'));
}

/** @param {Workspace} ws @param {Actions} actions */
function registrations(ws, actions) {
  const isVendor = ws.role?.kind === 'vendor';
  if (!ws.programme) return h('section', {}, heading('Registrations'), noProgramme());
  const programme = ws.programme;
  const rows = [...ws.registrations].sort((a, b) => byText(b.createdAt, a.createdAt));
  const tbody = h('tbody');
  const count = h('span', { class: 'muted' });
  const search = h('input', { type: 'search', placeholder: 'Customer, domain or id', 'aria-label': 'Search registrations' });
  const status = h('select', { 'aria-label': 'Status' },
    h('option', { value: '' }, 'Every status'),
    Object.entries(STATUS_LABELS).map(([value, label]) => h('option', { value }, label)));
  // A page of rows at a time: a desk holds tens of thousands, and a table of
  // them all takes seconds to lay out.
  const pager = tablePager(200, () => fill());
  const fill = () => {
    const q = search.value.trim().toLowerCase();
    const matching = rows.filter((r) =>
      (!status.value || r.status === status.value) &&
      (!q || [r.id, r.customer.name, r.customer.domain ?? ''].some((s) => s.toLowerCase().includes(q))));
    const shown = matching.slice(0, pager.limit);
    tbody.replaceChildren(...shown.map((r) => h('tr', { 'data-id': r.id },
      h('td', { class: 'mono' }, h('a', { href: `#registrations/${encodeURIComponent(r.id)}` }, r.id)),
      h('td', {}, h('div', {}, r.customer.name), r.customer.domain ? h('div', { class: 'muted small' }, r.customer.domain) : null),
      h('td', {}, [r.customer.city, r.customer.country].filter(Boolean).join(', ')),
      isVendor ? h('td', {}, partnerName(ws, r.partnerId)) : null,
      h('td', {}, r.products.map((p) => `${p.quantity}× ${programme.products.find((x) => x.sku === p.sku)?.name ?? p.sku}`).join(', ')),
      h('td', { class: 'num' }, money(r.value, r.currency)),
      h('td', {}, r.stage),
      h('td', {}, badge(r.status), r.extensionRequested ? h('div', { class: 'muted small' }, 'extension asked') : null),
      h('td', {}, r.protectedUntil ?? '—', protectionLeft(r) ? h('div', { class: 'muted small' }, protectionLeft(r)) : null))));
    count.textContent = matching.length === rows.length ? `${rows.length} in all` : `${matching.length} of ${rows.length}`;
    pager.update(shown.length, matching.length);
  };
  const refill = () => { pager.reset(); fill(); };
  search.addEventListener('input', refill);
  status.addEventListener('change', refill);
  fill();
  return h('section', {},
    heading('Registrations', isVendor
      ? 'Every partner\'s registrations that reached this desk.'
      : 'Your registrations and where each one stands.'),
    h('div', { class: 'toolbar' }, search, status, count, csvExport('registrations', actions),
      isVendor ? null : h('a', { class: 'button primary', href: '#register' }, 'Register a deal')),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {},
        h('th', {}, 'Id'), h('th', {}, 'Customer'), h('th', {}, 'Where'), isVendor ? h('th', {}, 'Partner') : null,
        h('th', {}, 'Products'), h('th', { class: 'num' }, 'Value'), h('th', {}, 'Stage'), h('th', {}, 'Status'),
        h('th', {}, 'Protected until'))),
      tbody)),
    pager.button);
}

/** @param {Workspace} ws @param {Actions} actions @param {string} param a lead's id */
function leads(ws, actions, param) {
  if (!ws.programme) return h('section', {}, heading('Leads'), noProgramme());
  return param ? leadPage(ws, param) : leadInbox(ws, actions, csvExport('leads', actions));
}

/** @param {Workspace} ws */
function programmeView(ws) {
  const p = ws.programme;
  if (!p) return h('section', {}, heading('Programme'), noProgramme());
  const line = (/** @type {string} */ id) => p.productLines.find((l) => l.id === id)?.name ?? id;
  const role = ws.role;
  const me = role?.kind === 'partner' ? p.partners.find((x) => x.id === role.partnerId) : undefined;
  /** @param {[string, string | number][]} pairs */
  const facts = (pairs) => h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
  return h('section', {},
    heading(p.name, `Published by ${p.vendor}, revision ${p.revision}. Your registrations are decided by these rules.`),
    facts([
      ['Period', `${p.starts} to ${p.ends}`],
      ['Protection', `${p.protectionDays} days from the vendor's receipt`],
      ['Extensions', `${p.extension.maxExtensions} × ${p.extension.days} days, from stage ${p.extension.minimumStage}`],
      ['Minimum deal', money(p.minimumDealValue, p.currency)],
      ['New business only', p.newBusinessOnly ? 'yes' : 'no'],
      ['Auto-approve below', money(p.approval.autoApproveBelow, p.currency)],
      ['Second registrant keeps', `${Math.round(p.conflict.secondRegistrantShare * 100)}% of the benefit`],
      ...(p.incentiveBudget == null ? [] : /** @type {[string, string][]} */ ([['Incentive budget', money(p.incentiveBudget, p.currency)]])),
    ]),
    h('h2', {}, 'Tiers'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Tier', 'Registers', 'Extra discount', 'Rebate', 'Bounty', 'Lead weight'].map((t) => h('th', {}, t)))),
      h('tbody', {}, p.tiers.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.eligible ? 'yes' : 'no'),
        h('td', {}, `${t.extraDiscountPoints} pts`), h('td', {}, `${t.rebatePercent}%`), h('td', {}, money(t.bounty, p.currency)), h('td', {}, String(t.leadWeight)))))),
    h('h2', {}, 'Your membership'),
    me ? facts([
      ['Partner', me.name],
      ['Tier', p.tiers.find((t) => t.id === me.tier)?.name ?? me.tier],
      ['Countries', me.countries.join(', ') || 'none listed'],
      ['Product lines', me.specialisations.map(line).join(', ') || 'none listed'],
      ['Open leads at once', me.leadCapacity],
      ['Status', me.status],
      ['Submissions signed with', me.signingKey ? `${me.signingKey.slice(0, 6)}…${me.signingKey.slice(-6)}` : 'nothing: unsigned'],
    ]) : h('p', { class: 'empty' }, 'This desk holds no membership record: join with the invitation the vendor sent you.'),
    h('p', { class: 'muted' }, 'The vendor sends a new membership with its decisions when your tier or status changes.'),
    h('h2', {}, 'Products'),
    h('table', {}, h('thead', {}, h('tr', {}, ['SKU', 'Product', 'Line', 'Registrable', 'List price'].map((t) => h('th', {}, t)))),
      h('tbody', {}, p.products.map((x) => h('tr', {}, h('td', { class: 'mono' }, x.sku), h('td', {}, x.name), h('td', {}, line(x.line)),
        h('td', {}, x.registrable ? 'yes' : 'no'), h('td', { class: 'num' }, money(x.listPrice, p.currency)))))),
    h('h2', {}, 'Named accounts'),
    h('p', { class: 'muted' }, 'Customers the vendor sells to directly; partners cannot register them.'),
    h('ul', {}, p.namedAccounts.map((a) => h('li', {}, `${a.name} (${a.country}${a.domains.length ? `, ${a.domains.join(', ')}` : ''})`))));
}

/**
 * The view of every area but the overview (see `overview`) and Files
 * (`filesView`), which are drawn from the overview's figures; `param` is what
 * follows the area in the URL (`#registrations/R-0001`).
 * @type {Record<Exclude<Area, 'overview' | 'files'>, (ws: Workspace, actions: Actions, param: string) => HTMLElement>}
 */
export const VIEWS = {
  review: (ws) => reviewView(ws),
  register: (ws, actions, param) => registerView(ws, (id) => actions.open(`registrations/${encodeURIComponent(id)}`), param),
  registrations: (ws, actions, param) => (param ? registrationView(ws, param) : registrations(ws, actions)),
  conflicts: (ws) => conflictsView(ws),
  leads,
  reports: (ws) => (ws.programme ? reportsView(ws) : h('section', {}, heading('Reports'), noProgramme())),
  sandbox: (ws) => sandboxView(ws),
  programme: (ws) => (ws.role?.kind === 'vendor' ? programmeEditor(ws) : programmeView(ws)),
};
