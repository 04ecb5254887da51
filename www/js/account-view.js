// @ts-check
/**
 * The account work around one registration: the programme's qualification
 * checklist and the partner's business case (in the registration form and on
 * the registration's page), the partner's requests for presales help, a demo
 * unit or a special price with the vendor's answers, and the account plan the
 * vendor keeps for both sides. Every text is shown as text.
 */
import * as desk from './desk.js';
import { h } from './dom.js';
import { money, today } from './format.js';
import { notify } from './messages.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('../pkg/dealreg.js').Registration} Registration
 * @typedef {import('../pkg/dealreg.js').Programme} Programme
 * @typedef {import('../pkg/dealreg.js').BusinessCase} BusinessCase
 * @typedef {import('../pkg/dealreg.js').AccountPlan} AccountPlan
 * @typedef {import('../pkg/dealreg.js').SupportRequest} SupportRequest
 * @typedef {import('../pkg/dealreg.js').RequestKind} RequestKind
 */

/** @type {Record<RequestKind, string>} */
export const KIND_LABEL = { presales: 'Presales help', demoUnit: 'A demo unit', specialPrice: 'A special price' };

/**
 * The checklist as checkboxes, with how many approval and an extension need.
 * @param {Programme} programme
 * @param {string[]} confirmed
 */
export function checklist(programme, confirmed) {
  const q = programme.qualification;
  const items = q?.items ?? [];
  const boxes = items.map((item) => ({ id: item.id, input: h('input', { type: 'checkbox', checked: confirmed.includes(item.id), 'data-item': item.id }) }));
  const element = items.length === 0 ? null : h('fieldset', { class: 'checklist', 'data-field': '$.qualification' },
    h('legend', {}, 'Qualification'),
    h('p', { class: 'hint' }, `Approval without review needs ${q?.toApprove ?? 0} of these; an extension needs ${q?.toExtend ?? 0}.`),
    boxes.map(({ id, input }) => h('label', { class: 'check' }, input, ' ', items.find((i) => i.id === id)?.label ?? id)),
    h('div', { class: 'field-error', 'aria-live': 'polite' }));
  return { element, value: () => boxes.filter((b) => b.input.checked).map((b) => b.id) };
}

/** The business case's fields, label and key. */
const CASE_FIELDS = /** @type {const} */ ([
  ['The customer\'s problem', 'problem'],
  ['Proposed solution', 'solution'],
  ['Value to the customer', 'value'],
  ['Competitors', 'competitors'],
]);

/**
 * The business case as a fieldset; `value()` is null when left empty.
 * @param {BusinessCase | null | undefined} given
 */
export function businessCaseFields(given) {
  const inputs = CASE_FIELDS.map(([label, key]) => {
    const input = h('textarea', { rows: 2, maxlength: 2000, 'data-case': key, id: `case-${key}` });
    input.value = given?.[key] ?? '';
    return { label, key, input };
  });
  const decision = h('input', { type: 'date', id: 'case-decisionDate', value: given?.decisionDate ?? '' });
  const element = h('fieldset', { class: 'business-case', 'data-field': '$.businessCase' },
    h('legend', {}, 'Business case'),
    h('p', { class: 'hint' }, 'Why the customer buys: the vendor reads it with the registration.'),
    inputs.map(({ label, key, input }) => h('div', { class: 'field' }, h('label', { for: `case-${key}` }, label), input)),
    h('div', { class: 'field' }, h('label', { for: 'case-decisionDate' }, 'The customer decides by'), decision),
    h('div', { class: 'field-error', 'aria-live': 'polite' }));
  /** @returns {BusinessCase | null} */
  const value = () => {
    /** @type {BusinessCase} */
    const out = {};
    for (const { key, input } of inputs) if (input.value.trim()) out[key] = input.value.trim();
    if (decision.value) out.decisionDate = decision.value;
    return Object.keys(out).length ? out : null;
  };
  return { element, value };
}

/**
 * A definition list of the business case, for reading.
 * @param {BusinessCase | null | undefined} c
 */
export function businessCaseFacts(c) {
  if (!c) return h('p', { class: 'muted' }, 'No business case yet.');
  /** @type {[string, string | null | undefined][]} */
  const rows = [...CASE_FIELDS.map(([label, key]) => /** @type {[string, string | undefined]} */ ([label, c[key]])), ['Decision date', c.decisionDate]];
  return h('dl', { class: 'facts business-case-facts' }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '')]));
}

/**
 * One request and where it stands.
 * @param {SupportRequest} q
 * @param {string} currency
 */
function requestItem(q, currency) {
  const state = q.state === 'requested' ? 'awaiting the vendor' : q.state;
  return h('li', { class: `request request-${q.state}`, 'data-request': q.id },
    h('strong', {}, KIND_LABEL[q.kind]),
    q.extraDiscountPoints ? ` of ${q.extraDiscountPoints} extra points` : null,
    ` · ${q.requestedAt.slice(0, 10)} · `, h('span', { class: `badge badge-${q.state === 'requested' ? 'inReview' : q.state === 'approved' ? 'approved' : 'rejected'}` }, state),
    h('div', {}, q.note),
    q.competingOffer ? h('div', { class: 'muted small' }, `Competing offer: ${q.competingOffer}`) : null,
    q.reason ? h('div', { class: 'answer' }, `Vendor: ${q.reason}`,
      q.expiresOn ? `; applies until ${q.expiresOn}` : '',
      q.cost !== undefined ? `; costs ${money(q.cost, currency)} of the incentive budget` : '') : null);
}

/**
 * The partner's form to ask for support on an approved registration.
 * @param {Registration} r
 */
function askForm(r) {
  const kind = h('select', { id: 'ask-kind' }, Object.entries(KIND_LABEL).map(([k, label]) => h('option', { value: k }, label)));
  const note = h('textarea', { rows: 2, id: 'ask-note', maxlength: 2000, placeholder: 'What you need, and why' });
  const points = h('input', { type: 'number', id: 'ask-points', min: 0, max: 100, step: 'any' });
  const competing = h('input', { type: 'text', id: 'ask-competing', maxlength: 2000 });
  const priceOnly = h('div', { class: 'row', hidden: true },
    h('div', { class: 'field' }, h('label', { for: 'ask-points' }, 'Extra discount (points)'), points),
    h('div', { class: 'field' }, h('label', { for: 'ask-competing' }, 'Competing offer'), competing));
  kind.addEventListener('change', () => { priceOnly.hidden = kind.value !== 'specialPrice'; });
  const ask = async () => {
    const k = /** @type {RequestKind} */ (kind.value);
    const request = {
      kind: k,
      note: note.value.trim(),
      extraDiscountPoints: k === 'specialPrice' && points.value !== '' ? Number(points.value) : null,
      competingOffer: k === 'specialPrice' ? competing.value.trim() || null : null,
    };
    if (await desk.change('Asking the vendor', { type: 'requestSupport', id: r.id, request })) {
      notify('Request saved: it travels with your next submission file (Files).');
    }
  };
  return h('div', { class: 'ask' }, h('h3', {}, 'Ask the vendor'),
    h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'ask-kind' }, 'For'), kind)),
    h('div', { class: 'field' }, h('label', { for: 'ask-note' }, 'Justification'), note),
    priceOnly,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: ask }, 'Send request')));
}

/**
 * The vendor's answer to one open request.
 * @param {Registration} r
 * @param {SupportRequest} q
 */
function answerForm(r, q) {
  const reason = h('textarea', { rows: 2, 'aria-label': `Reason for ${q.id}`, placeholder: 'The reason, kept for the partner and the audit' });
  const expires = h('input', { type: 'date', min: today(), value: r.protectedUntil ?? '', 'aria-label': `${q.id} applies until` });
  const answer = async (/** @type {boolean} */ approve) => {
    const done = await desk.change(`Answering ${q.id}`, {
      type: 'answerRequest', id: r.id, requestId: q.id, approve, reason: reason.value.trim(),
      expiresOn: q.kind === 'specialPrice' && approve ? expires.value || null : null,
    });
    if (done) notify(`${q.id} ${approve ? 'approved' : 'declined'}: it travels in the partner's next decision file.`);
  };
  return h('div', { class: 'reasoned', 'data-answer': q.id },
    h('label', { class: 'label' }, 'Answer, with the reason', reason),
    q.kind === 'specialPrice' ? h('label', { class: 'label' }, 'The price applies until ', expires) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => answer(true) }, 'Approve'),
      h('button', { type: 'button', class: 'danger', onclick: () => answer(false) }, 'Decline')));
}

/**
 * The account plan: the vendor edits it, the partner reads it.
 * @param {Registration} r
 * @param {boolean} vendor
 */
function planView(r, vendor) {
  const plan = r.accountPlan;
  if (!vendor) {
    if (!plan) return h('p', { class: 'muted' }, 'The vendor has not shared an account plan yet.');
    return h('div', { class: 'plan' },
      plan.notes ? h('p', {}, plan.notes) : null,
      h('ol', { class: 'steps' }, plan.steps.map((s) => h('li', { class: s.done ? 'done' : '' },
        `${s.what} — ${s.owner}, by ${s.due}${s.done ? ' (done)' : ''}`))));
  }
  const notes = h('textarea', { rows: 3, id: 'plan-notes', maxlength: 2000 });
  notes.value = plan?.notes ?? '';
  const rows = h('tbody', {});
  const addRow = (/** @type {{ what: string, owner: string, due: string, done?: boolean }} */ s) => {
    const tr = h('tr', { class: 'plan-step' },
      h('td', {}, h('input', { type: 'text', value: s.what, 'aria-label': 'Next step', 'data-step': 'what' })),
      h('td', {}, h('input', { type: 'text', value: s.owner, 'aria-label': 'Owner', 'data-step': 'owner' })),
      h('td', {}, h('input', { type: 'date', value: s.due, 'aria-label': 'Due', 'data-step': 'due' })),
      h('td', {}, h('input', { type: 'checkbox', checked: Boolean(s.done), 'aria-label': 'Done', 'data-step': 'done' })),
      h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => tr.remove() }, 'Remove')));
    rows.append(tr);
  };
  for (const s of plan?.steps ?? []) addRow(s);
  const save = async () => {
    const steps = [...rows.querySelectorAll('tr')].map((tr) => {
      const get = (/** @type {string} */ k) => /** @type {HTMLInputElement} */ (tr.querySelector(`[data-step="${k}"]`));
      return { what: get('what').value.trim(), owner: get('owner').value.trim(), due: get('due').value, done: get('done').checked };
    }).filter((s) => s.what || s.owner);
    if (await desk.change('Saving the account plan', { type: 'setAccountPlan', id: r.id, plan: { notes: notes.value.trim(), steps } })) {
      notify('Account plan saved: it travels in the partner\'s next decision file.');
    }
  };
  return h('div', { class: 'plan-editor' },
    h('div', { class: 'field' }, h('label', { for: 'plan-notes' }, 'Account notes'), notes),
    h('table', { class: 'plan-steps' }, h('thead', {}, h('tr', {}, ['Next step', 'Owner', 'Due', 'Done'].map((c) => h('th', {}, c)), h('th', {}, h('span', { class: 'visually-hidden' }, 'Actions')))), rows),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => addRow({ what: '', owner: 'partner', due: today() }) }, 'Add a step'),
      h('button', { type: 'button', class: 'primary', onclick: save }, 'Save plan')));
}

/**
 * Qualification, business case, requests and plan on a registration's page.
 * @param {Workspace} ws
 * @param {Registration} r
 */
export function accountSection(ws, r) {
  const programme = ws.programme;
  if (!programme) return null;
  const vendor = ws.role?.kind === 'vendor';
  const currency = programme.currency;
  const confirmed = r.qualification ?? [];
  const items = programme.qualification?.items ?? [];
  const open = ['draft', 'submitted', 'inReview', 'approved', 'extended'].includes(r.status);
  const requests = r.requests ?? [];
  const protectedNow = r.status === 'approved' || r.status === 'extended';

  /** @type {(Node | null)[]} */
  const qualification = [];
  if (!vendor && open) {
    const list = checklist(programme, confirmed);
    const caseFields = businessCaseFields(r.businessCase);
    const save = async () => {
      if (await desk.change('Saving the qualification', { type: 'qualify', id: r.id, qualification: list.value(), businessCase: caseFields.value() })) {
        notify(r.status === 'draft' ? 'Qualification saved.' : 'Qualification saved: it travels with your next submission file (Files).');
      }
    };
    qualification.push(list.element, caseFields.element,
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'save-qualification', onclick: save }, 'Save qualification')));
  } else {
    qualification.push(
      items.length ? h('ul', { class: 'checklist-read' }, items.map((i) => h('li', { class: confirmed.includes(i.id) ? 'yes' : 'no' },
        confirmed.includes(i.id) ? '✓ ' : '✗ ', i.label))) : null,
      businessCaseFacts(r.businessCase));
  }
  return h('div', { class: 'account' },
    h('h2', {}, 'Qualification and business case'),
    items.length ? h('p', { class: 'muted' }, `${items.filter((i) => confirmed.includes(i.id)).length} of ${items.length} confirmed.`) : null,
    ...qualification,
    h('h2', {}, 'Support and special pricing'),
    requests.length ? h('ul', { class: 'requests' }, requests.flatMap((q) => [requestItem(q, currency),
      vendor && q.state === 'requested' ? h('li', { class: 'answer-form' }, answerForm(r, q)) : null])) : h('p', { class: 'muted' }, 'No requests.'),
    !vendor && protectedNow ? askForm(r) : null,
    r.receivedAt ? h('h2', {}, 'Account plan') : null,
    r.receivedAt ? planView(r, vendor) : null);
}
