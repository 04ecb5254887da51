// @ts-check
/**
 * One registration's page, and the vendor's review queue. Each shows the
 * rule-by-rule evaluation and the actions the desk's role may take: a partner
 * submits, asks for an extension, and marks won, lost or withdrawn; the vendor
 * approves or rejects with a reason the partner reads, and grants extensions.
 */
import * as desk from './desk.js';
import { accountSection, businessCaseFacts, KIND_LABEL } from './account-view.js';
import { decisionView } from './decision-view.js';
import { h, paged } from './dom.js';
import { byText, daysBetween, money, partnerName, statusLabel, today } from './format.js';
import { notify } from './messages.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('../pkg/dealreg.js').Registration} Registration
 */

/**
 * Days of protection left, as a person reads it.
 * @param {Registration} r
 */
export function protectionLeft(r) {
  if (!r.protectedUntil || !['approved', 'extended'].includes(r.status)) return null;
  const days = daysBetween(today(), r.protectedUntil);
  if (days < 0) return 'ran out';
  if (days === 0) return 'last day';
  return `${days} day${days === 1 ? '' : 's'} left`;
}

/**
 * A number of days, from 1 to `most`; `value` is what is typed, or undefined (all of it).
 * @param {string} label
 * @param {number} most
 */
function daysField(label, most) {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'number', min: 1, max: most, step: 1, value: String(most) }));
  return {
    box: h('label', { class: 'label' }, label, input),
    get value() { return input.value === '' ? undefined : Number(input.value); },
  };
}

/**
 * `date` (YYYY-MM-DD) moved by `days`.
 * @param {string} date
 * @param {number} days
 */
function shiftDate(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A reason box and buttons, each applying a change built from the reason.
 * @param {string} label
 * @param {{ text: string, primary?: boolean, danger?: boolean, title: string, done?: string, change: (reason: string) => import('./desk.js').Change }[]} buttons
 * @param {{ required?: boolean, placeholder?: string, before?: HTMLElement }} [options] `before`: a field shown above the reason
 */
function reasoned(label, buttons, { required = true, placeholder = '', before } = {}) {
  const reason = h('textarea', { rows: 2, placeholder, 'aria-label': label });
  const error = h('div', { class: 'field-error', 'aria-live': 'polite' });
  return h('div', { class: 'reasoned' },
    before ?? null,
    h('label', { class: 'label' }, label, reason),
    error,
    h('div', { class: 'actions' }, buttons.map((b) => h('button', {
      type: 'button',
      class: b.primary ? 'primary' : b.danger ? 'danger' : null,
      onclick: async () => {
        const text = reason.value.trim();
        if (required && !text) {
          error.textContent = 'Give a reason: the partner reads it.';
          reason.focus();
          return;
        }
        if (await desk.change(b.title, b.change(text)) && b.done) notify(b.done);
      },
    }, b.text))));
}

/**
 * What the desk's role may do with a registration now.
 * @param {Workspace} ws
 * @param {Registration} r
 */
function actions(ws, r) {
  const out = [];
  if (ws.role?.kind === 'vendor') {
    if (r.status === 'inReview' || r.status === 'submitted') {
      out.push(reasoned('Decision, with the reason the partner will read', [
        { text: 'Approve', primary: true, title: `Approving ${r.id}`, done: `${r.id} approved.`, change: (reason) => ({ type: 'decide', id: r.id, approve: true, reason }) },
        { text: 'Reject', danger: true, title: `Rejecting ${r.id}`, done: `${r.id} rejected.`, change: (reason) => ({ type: 'decide', id: r.id, approve: false, reason }) },
      ]));
    }
    if (r.extensionRequested) {
      const check = desk.extensionCheck(r.id);
      const most = ws.programme?.extension.days ?? 0;
      const asked = Math.min(r.extensionDays ?? most, most);
      out.push(h('p', {}, check?.until
        ? `The partner asks for ${asked} more days of protection: to ${shiftDate(check.until, asked - most)}.`
        : `The partner asks for an extension, which the programme does not allow: ${check?.reason ?? ''}`));
      const days = daysField('Days to grant', asked);
      out.push(reasoned('Extension decision', [
        { text: 'Grant extension', primary: true, title: `Extending ${r.id}`, done: `${r.id} extended.`, change: (reason) => ({ type: 'decideExtension', id: r.id, grant: true, reason, days: days.value }) },
        { text: 'Refuse', danger: true, title: `Refusing the extension of ${r.id}`, change: (reason) => ({ type: 'decideExtension', id: r.id, grant: false, reason }) },
      ], { before: days.box }));
    }
    return out;
  }
  if (r.status === 'draft') {
    out.push(h('div', { class: 'actions' },
      h('button', { class: 'primary', onclick: () => desk.change(`Submitting ${r.id}`, { type: 'submit', id: r.id }) }, 'Submit registration'),
      h('a', { class: 'button', href: `#register/${encodeURIComponent(r.id)}` }, 'Edit draft'),
      h('button', { class: 'danger', onclick: () => desk.change(`Withdrawing ${r.id}`, { type: 'close', id: r.id, status: 'withdrawn', reason: 'draft discarded' }) }, 'Discard draft')));
  }
  if (r.status === 'approved' || r.status === 'extended') {
    const check = desk.extensionCheck(r.id);
    if (r.extensionRequested) {
      out.push(h('p', { class: 'note' }, 'Extension requested: the vendor decides.'));
    } else if (check?.until) {
      const most = ws.programme?.extension.days ?? 0;
      const days = daysField(`Days of extension (at most ${most})`, most);
      out.push(reasoned(`Ask for up to ${most} more days, to ${check.until}`, [
        { text: 'Request extension', title: `Requesting an extension of ${r.id}`, done: 'Extension requested: it travels with your next submission file.', change: (reason) => ({ type: 'requestExtension', id: r.id, reason, days: days.value }) },
      ], { placeholder: 'Why more time is needed', before: days.box }));
    } else if (check?.reason) {
      out.push(h('p', { class: 'muted' }, `No extension possible: ${check.reason}.`));
    }
  }
  if (['approved', 'extended', 'submitted', 'inReview'].includes(r.status)) {
    /** @type {{ text: string, primary?: boolean, danger?: boolean, title: string, done?: string, change: (reason: string) => import('./desk.js').Change }[]} */
    const closes = [];
    /** @param {'won' | 'lost' | 'withdrawn'} status */
    const close = (status) => (/** @type {string} */ reason) => ({ type: /** @type {const} */ ('close'), id: r.id, status, reason });
    if (r.status === 'approved' || r.status === 'extended') {
      closes.push({ text: 'Mark won', primary: true, title: `Marking ${r.id} won`, done: `${r.id} won.`, change: close('won') });
      closes.push({ text: 'Mark lost', title: `Marking ${r.id} lost`, done: `${r.id} lost.`, change: close('lost') });
    }
    closes.push({ text: 'Withdraw', danger: true, title: `Withdrawing ${r.id}`, done: `${r.id} withdrawn.`, change: close('withdrawn') });
    out.push(reasoned('Close the registration', closes, { required: false, placeholder: 'Optional note' }));
  }
  return out;
}

/**
 * The facts of a registration, for the page and the queue.
 * @param {Workspace} ws
 * @param {Registration} r
 */
function facts(ws, r) {
  const programme = ws.programme;
  const product = (/** @type {string} */ sku) => programme?.products.find((p) => p.sku === sku)?.name ?? sku;
  /** @type {[string, string][]} */
  const rows = [
    ['Customer', [r.customer.name, r.customer.domain, [r.customer.city, r.customer.country].filter(Boolean).join(', ')].filter(Boolean).join(' · ')],
    ['Partner', partnerName(ws, r.partnerId)],
    ['Products', r.products.map((p) => `${p.quantity}× ${product(p.sku)}`).join(', ')],
    ['Value', money(r.value, r.currency)],
    ['Expected close', `${r.expectedClose} (stage ${r.stage})`],
    ['Received by the vendor', r.receivedAt ? r.receivedAt.slice(0, 16).replace('T', ' ') + ' UTC' : 'not yet'],
  ];
  if (r.protectedUntil) rows.push(['Protected until', `${r.protectedUntil}${protectionLeft(r) ? ` (${protectionLeft(r)})` : ''}`]);
  if (r.extensionsUsed) rows.push(['Extensions', String(r.extensionsUsed)]);
  if (r.incentive !== null && programme) rows.push(['Incentive committed', money(r.incentive, programme.currency)]);
  if (r.contact) rows.push(['Contact', [r.contact.name, r.contact.email].filter(Boolean).join(', ')]);
  if (r.notes) rows.push(['Notes', r.notes]);
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/**
 * @param {Workspace} ws
 * @param {string} id
 */
export function registrationView(ws, id) {
  const r = ws.registrations.find((x) => x.id === id);
  if (!r) return h('section', {}, h('h1', {}, 'Registration'), h('p', { class: 'empty' }, `There is no registration ${id} on this desk.`));
  const decision = desk.explain(r.id);
  const events = ws.audit.filter((e) => e.detail.includes(r.id)).reverse();
  return h('section', { class: 'registration' },
    h('p', {}, h('a', { href: '#registrations' }, '← Registrations')),
    h('header', { class: 'area-head' },
      h('h1', {}, r.customer.name, ' ', h('span', { class: `badge badge-${r.status}` }, statusLabel(r.status))),
      h('p', { class: 'lead mono' }, r.id)),
    r.decision ? h('div', { class: `note note-${r.decision.status}` },
      h('strong', {}, `${statusLabel(r.decision.status)} by ${r.decision.by === 'rules' ? 'the programme rules' : r.decision.by}: `),
      r.decision.reason) : null,
    h('div', { class: 'two-col' },
      h('div', {}, facts(ws, r), actions(ws, r)),
      h('div', {}, h('h2', {}, 'Evaluation'), decision ? decisionView(decision, { partnerName: (id) => partnerName(ws, id) }) : null)),
    accountSection(ws, r),
    h('h2', {}, 'History'),
    h('ol', { class: 'events' }, events.map((e) => h('li', {},
      h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')), ' ', h('strong', {}, e.actor), ' ', e.detail))));
}

/**
 * The vendor's queue: registrations awaiting a decision, oldest receipt first,
 * then extension requests.
 * @param {Workspace} ws
 */
export function reviewView(ws) {
  const PAGE = 20;
  const waiting = ws.registrations
    .filter((r) => r.status === 'inReview' || r.status === 'submitted')
    .sort((a, b) => byText(a.receivedAt ?? '', b.receivedAt ?? ''));
  const extensions = ws.registrations.filter((r) => r.extensionRequested);
  const asking = ws.registrations.filter((r) => (r.requests ?? []).some((q) => q.state === 'requested'));
  /** A card's heading: the customer (a link to its page), id, partner, value, and `extra`. */
  const head = (/** @type {Registration} */ r, /** @type {HTMLElement | null} */ extra) => h('header', { class: 'review-head' },
    h('h2', {}, h('a', { href: `#registrations/${encodeURIComponent(r.id)}` }, r.customer.name)),
    h('span', { class: 'muted' }, `${r.id} · ${partnerName(ws, r.partnerId)} · ${money(r.value, r.currency)}`),
    extra);
  const card = (/** @type {Registration} */ r) => {
    const decision = desk.explain(r.id);
    return h('article', { class: 'card review-card', 'data-id': r.id },
      head(r, decision?.reviewDue ? h('span', { class: decision.reviewDue < today() ? 'badge badge-rejected' : 'badge' }, `due ${decision.reviewDue}`) : null),
      r.businessCase ? h('details', { class: 'case' }, h('summary', {}, 'Business case'), businessCaseFacts(r.businessCase)) : null,
      decision ? decisionView(decision, { partnerName: (id) => partnerName(ws, id) }) : null,
      actions(ws, r));
  };
  const askingCard = (/** @type {Registration} */ r) => h('article', { class: 'card review-card', 'data-id': r.id },
    head(r, null),
    h('p', {}, (r.requests ?? []).filter((q) => q.state === 'requested').map((q) => `${KIND_LABEL[q.kind]}${q.extraDiscountPoints ? ` (${q.extraDiscountPoints} points)` : ''}: ${q.note}`).join('; ')),
    h('a', { class: 'button', href: `#registrations/${encodeURIComponent(r.id)}` }, 'Answer'));
  return h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, 'Review queue'),
      h('p', { class: 'lead' }, `${waiting.length} registration${waiting.length === 1 ? '' : 's'} awaiting a decision, oldest first; ${extensions.length} extension request${extensions.length === 1 ? '' : 's'}; ${asking.length} with support requests.`)),
    waiting.length === 0 && extensions.length === 0 && asking.length === 0 ? h('p', { class: 'empty' }, 'Nothing is waiting for you.') : null,
    // Each card explains its registration: drawn a page at a time.
    paged(waiting, card, PAGE, 'registrations'),
    extensions.length ? h('h2', {}, 'Extension requests') : null,
    paged(extensions, card, PAGE, 'extension requests'),
    asking.length ? h('h2', {}, 'Support and special-price requests') : null,
    paged(asking, askingCard, PAGE, 'requests'));
}
