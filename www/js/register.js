// @ts-check
/**
 * The partner's registration form. While the partner types, the core checks
 * each field and evaluates the draft as if the vendor received it now; the
 * problems appear beside their fields and the evaluation beside the form.
 */
import * as desk from './desk.js';
import { businessCaseFields, checklist } from './account-view.js';
import { decisionView } from './decision-view.js';
import { h } from './dom.js';
import { money, today } from './format.js';
import { notify } from './messages.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('./desk.js').Draft} Draft
 */

const STAGES = ['identify', 'qualify', 'scope', 'price', 'propose', 'close'];

/**
 * @param {Workspace} ws
 * @param {(id: string) => void} opened called with the registration's id once saved
 * @param {string} [editing] the id of a draft to edit, or `lead:<id>` for a lead to convert
 */
export function registerView(ws, opened, editing = '') {
  const programme = ws.programme;
  const role = ws.role;
  if (!programme || role?.kind !== 'partner') {
    return h('section', {}, h('h1', {}, 'Register a deal'), h('p', { class: 'empty' }, 'Only a partner desk with a programme registers deals.'));
  }
  const partner = programme.partners.find((p) => p.id === role.partnerId);
  // A qualified lead converts into a new registration, prefilled, keeping its lead and campaign ids.
  const leadId = editing.startsWith('lead:') ? editing.slice('lead:'.length) : '';
  const fromLead = leadId ? desk.leadDraft(leadId) : undefined;
  if (leadId && !fromLead) {
    return h('section', {}, h('h1', {}, 'Convert a lead'), h('p', { class: 'empty' }, `Lead ${leadId} cannot be converted on this desk.`));
  }
  const draftOf = editing && !leadId ? ws.registrations.find((r) => r.id === editing && r.status === 'draft') : undefined;
  if (editing && !leadId && !draftOf) {
    return h('section', {}, h('h1', {}, 'Edit a draft'), h('p', { class: 'empty' }, `${editing} is not a draft on this desk: only drafts can be edited.`));
  }
  const currencies = [programme.currency, ...Object.keys(programme.exchangeRates)];

  /** @param {string} label @param {string} path @param {HTMLElement} input @param {string} [hint] */
  const field = (label, path, input, hint) => {
    input.setAttribute('data-path', path);
    const id = `f-${path.replace(/[^a-z]/gi, '-')}`;
    input.id = id;
    return h('div', { class: 'field', 'data-field': path },
      h('label', { for: id }, label), input,
      hint ? h('div', { class: 'hint' }, hint) : null,
      h('div', { class: 'field-error', 'aria-live': 'polite' }));
  };

  const name = h('input', { type: 'text', autocomplete: 'off', required: true });
  const domain = h('input', { type: 'text', placeholder: 'example.com', autocomplete: 'off' });
  const country = h('input', { type: 'text', maxlength: 2, list: 'countries', value: partner?.countries[0] ?? '', autocomplete: 'off' });
  const city = h('input', { type: 'text', autocomplete: 'off' });
  const value = h('input', { type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
  const currency = h('select', {}, currencies.map((c) => h('option', { value: c }, c)));
  const close = h('input', { type: 'date', min: today() });
  const stage = h('select', {}, STAGES.map((s) => h('option', { value: s }, s)));
  const newBusiness = h('input', { type: 'checkbox', checked: true });
  const contactName = h('input', { type: 'text', autocomplete: 'off' });
  const contactEmail = h('input', { type: 'email', autocomplete: 'off' });
  const notes = h('textarea', { rows: 3 });
  const quantities = programme.products.map((p) => ({
    product: p,
    input: h('input', { type: 'number', min: 0, step: 1, value: 0, 'aria-label': `Quantity of ${p.name}`, class: 'qty' }),
  }));
  const listTotal = h('span', { class: 'muted small' });
  const qualification = checklist(programme, draftOf?.qualification ?? []);
  const businessCase = businessCaseFields(draftOf?.businessCase);

  if (fromLead) {
    name.value = fromLead.customer.name;
    domain.value = fromLead.customer.domain ?? '';
    country.value = fromLead.customer.country;
    if (fromLead.value !== null) value.value = String(fromLead.value);
    stage.value = fromLead.stage;
    contactName.value = fromLead.contact?.name ?? '';
    contactEmail.value = fromLead.contact?.email ?? '';
    notes.value = fromLead.notes ?? '';
  }
  if (draftOf) {
    name.value = draftOf.customer.name;
    domain.value = draftOf.customer.domain ?? '';
    country.value = draftOf.customer.country;
    city.value = draftOf.customer.city ?? '';
    value.value = String(draftOf.value);
    currency.value = draftOf.currency;
    close.value = draftOf.expectedClose;
    stage.value = draftOf.stage;
    newBusiness.checked = draftOf.newBusiness;
    contactName.value = draftOf.contact?.name ?? '';
    contactEmail.value = draftOf.contact?.email ?? '';
    notes.value = draftOf.notes;
    for (const q of quantities) q.input.value = String(draftOf.products.find((i) => i.sku === q.product.sku)?.quantity ?? 0);
  }

  /** @returns {Draft} */
  const draft = () => ({
    partnerId: role.partnerId,
    customer: {
      name: name.value.trim(),
      domain: domain.value.trim() || null,
      country: country.value.trim().toUpperCase(),
      city: city.value.trim() || null,
    },
    products: quantities.filter((q) => Number(q.input.value) > 0).map((q) => ({ sku: q.product.sku, quantity: Math.floor(Number(q.input.value)) })),
    value: value.value === '' ? null : Number(value.value),
    currency: currency.value,
    expectedClose: close.value || null,
    stage: /** @type {Draft['stage']} */ (stage.value),
    newBusiness: newBusiness.checked,
    contact: contactName.value.trim() ? { name: contactName.value.trim(), email: contactEmail.value.trim() || null } : null,
    notes: notes.value,
    leadId: fromLead?.leadId ?? draftOf?.leadId ?? null,
    campaignId: fromLead?.campaignId ?? draftOf?.campaignId ?? null,
    qualification: qualification.value(),
    businessCase: businessCase.value(),
  });

  const previewBox = h('div', { class: 'preview', 'aria-live': 'polite' });
  const form = h('form', { class: 'register-form', novalidate: true });
  const touched = new Set();

  const refresh = () => {
    const d = draft();
    const list = d.products.reduce((sum, item) => sum + (programme.products.find((p) => p.sku === item.sku)?.listPrice ?? 0) * item.quantity, 0);
    listTotal.textContent = list > 0 ? `list price ${money(list, programme.currency)}` : '';
    const { problems, decision } = desk.preview(d);
    for (const box of form.querySelectorAll('[data-field]')) {
      const path = box.getAttribute('data-field') ?? '';
      const mine = problems.filter((p) => p.path === path || p.path.startsWith(`${path}[`) || p.path.startsWith(`${path}.`));
      const error = /** @type {HTMLElement} */ (box.querySelector('.field-error'));
      const show = touched.has(path) || form.dataset.tried === 'true';
      error.textContent = show ? mine.map((p) => p.message).join('; ') : '';
      box.classList.toggle('invalid', show && mine.length > 0);
    }
    previewBox.replaceChildren(
      h('h2', {}, 'What would happen'),
      decision
        ? decisionView(decision, { prospective: true })
        : h('p', { class: 'muted' }, 'Name the customer and at least one product to see the evaluation.'));
    return problems;
  };
  form.addEventListener('input', (e) => {
    const path = /** @type {HTMLElement} */ (e.target).closest('[data-field]')?.getAttribute('data-field');
    if (path) touched.add(path);
    refresh();
  });
  form.addEventListener('change', refresh);

  /** @param {boolean} submit */
  const save = async (submit) => {
    form.dataset.tried = 'true';
    const problems = refresh();
    if (problems.length > 0) {
      /** @type {HTMLElement | null} */ (form.querySelector('.invalid input, .invalid select'))?.focus();
      return;
    }
    if (draftOf) {
      const id = draftOf.id;
      if (!(await desk.change('Saving the draft', { type: 'editDraft', id, draft: draft() }))) return;
      if (submit && !(await desk.change(`Submitting ${id}`, { type: 'submit', id }))) return;
      notify(submit ? `${id} submitted: send it with your next submission file (Files).` : `${id} saved.`);
      opened(id);
      return;
    }
    const created = await desk.register(submit ? 'Submitting the registration' : 'Saving the draft', draft(), submit);
    if (!created) return;
    notify(submit ? `${created} submitted: send it with your next submission file (Files).` : `${created} saved as a draft.`);
    opened(created);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); save(true); });

  form.append(
    h('fieldset', {}, h('legend', {}, 'End customer'),
      field('Company name', '$.customer.name', name),
      h('div', { class: 'row' },
        field('Web domain or e-mail', '$.customer.domain', domain, 'Helps the vendor tell customers apart.'),
        field('Country', '$.customer.country', country, 'Two letters, e.g. SE'),
        field('City', '$.customer.city', city))),
    h('fieldset', {}, h('legend', {}, 'Opportunity'),
      h('div', { class: 'field', 'data-field': '$.products' },
        h('span', { class: 'label' }, 'Products and quantities'),
        h('table', { class: 'products' }, h('tbody', {}, quantities.map(({ product, input }) => h('tr', {},
          h('td', {}, input),
          h('td', {}, product.name, product.registrable ? null : h('span', { class: 'muted small' }, ' (not registrable)')),
          h('td', { class: 'num muted' }, money(product.listPrice, programme.currency)))))),
        listTotal,
        h('div', { class: 'field-error', 'aria-live': 'polite' })),
      h('div', { class: 'row' },
        field('Deal value', '$.value', value),
        field('Currency', '$.currency', currency),
        field('Expected close', '$.expectedClose', close),
        field('Stage', '$.stage', stage)),
      h('label', { class: 'check' }, newBusiness, ' New business: the customer does not already buy these products')),
    qualification.element ?? '',
    businessCase.element,
    h('fieldset', {}, h('legend', {}, 'Contact and notes'),
      h('div', { class: 'row' },
        field('Contact name', '$.contact.name', contactName),
        field('Contact e-mail', '$.contact.email', contactEmail)),
      field('Notes for the vendor', '$.notes', notes)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => save(false) }, 'Save draft'),
      h('button', { type: 'submit', class: 'primary' }, 'Submit registration')));

  const section = h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, draftOf ? `Edit draft ${draftOf.id}` : fromLead ? `Register a deal from lead ${leadId}` : 'Register a deal'),
      h('p', { class: 'lead' }, `${programme.name}: protection ${programme.protectionDays} days from the vendor's receipt; minimum ${money(programme.minimumDealValue, programme.currency)}.`)),
    h('datalist', { id: 'countries' }, (partner?.countries ?? []).map((c) => h('option', { value: c }))),
    h('div', { class: 'register-layout' }, form, previewBox));
  refresh();
  return section;
}
