// @ts-check
/**
 * The vendor's conflicts view: every customer that more than one partner has
 * registered and still claims, grouped by customer, the first registrant (by
 * the vendor's receipt time) marked, each pair's evidence one click away.
 */
import * as desk from './desk.js';
import { evidenceView } from './decision-view.js';
import { h } from './dom.js';
import { statusLabel } from './format.js';

/** @typedef {import('./desk.js').Workspace} Workspace */

/** @param {Workspace} ws */
export function conflictsView(ws) {
  const groups = desk.conflicts();
  const byId = new Map(ws.registrations.map((r) => [r.id, r]));
  const partner = (/** @type {string} */ id) => ws.programme?.partners.find((p) => p.id === id)?.name ?? id;
  const sure = groups.filter((g) => g.sure).length;
  return h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, 'Conflicts'),
      h('p', { class: 'lead' }, groups.length
        ? `${groups.length} customer${groups.length === 1 ? ' is' : 's are'} claimed by more than one partner: ${sure} sure, ${groups.length - sure} possible. The first registrant by your receipt time holds the customer.`
        : 'No customer is claimed by more than one partner.')),
    groups.map((group) => h('article', { class: 'card conflict-group', 'data-customer': group.customer },
      h('header', { class: 'review-head' },
        h('h2', {}, group.customer),
        h('span', { class: `badge badge-match-${group.sure ? 'same' : 'possible'}` }, group.sure ? 'same customer' : 'possibly the same customer'),
        h('span', { class: 'muted' }, group.partners.map(partner).join(', '))),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, h('span', { class: 'visually-hidden' }, 'Order')), ['Registration', 'Partner', 'Customer as written', 'Received', 'Status', 'Protected until'].map((t) => h('th', {}, t)))),
        h('tbody', {}, group.registrations.map((id, n) => {
          const r = byId.get(id);
          return h('tr', { class: n === 0 ? 'first' : null },
            h('td', {}, n === 0 ? h('span', { class: 'badge badge-approved' }, 'First registrant') : `#${n + 1}`),
            h('td', { class: 'mono' }, h('a', { href: `#registrations/${encodeURIComponent(id)}` }, id)),
            h('td', {}, partner(r?.partnerId ?? '')),
            h('td', {}, r?.customer.name ?? '', r?.customer.domain ? h('div', { class: 'muted small' }, r.customer.domain) : null),
            h('td', {}, r?.receivedAt?.slice(0, 10) ?? '—'),
            h('td', {}, r ? h('span', { class: `badge badge-${r.status}` }, statusLabel(r.status)) : ''),
            h('td', {}, r?.protectedUntil ?? '—'));
        }))),
      group.pairs.map((pair) => evidenceView(pair.match, `${pair.first} and ${pair.second} (${pair.lines.join(', ')})`)))));
}
