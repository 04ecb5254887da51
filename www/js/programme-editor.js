// @ts-check
/**
 * The programme builder: the whole programme in forms, section by section
 * (the programme, registration rules, tiers, products, partners, named
 * accounts, qualification, incentives, leads), with the JSON for specialists
 * folded away. A vendor with no programme starts from a typical 90-day
 * template, each value explained beside it.
 *
 * The programme being edited is one JSON document; every field writes into it
 * and every edit is checked by the core as it is typed (`desk.readProgramme`:
 * the rules of schemas/programme.schema.json, and more), each problem shown
 * beside its field. Saving checks the records on the desk too, and says what
 * changed. The sandbox edits its programme B with the same builder.
 */
import * as desk from './desk.js';
import { download, h, mount } from './dom.js';
import { confirmDialog, formDialog, notify, showFailure } from './messages.js';
import { idFrom, LISTS, readList } from './programme-lists.js';

/** @typedef {import('./desk.js').Workspace} Workspace */
/** @typedef {import('./desk.js').Programme} Programme */
/** @typedef {import('./desk.js').Failure} Failure */
/** @typedef {import('./programme-lists.js').ListKind} ListKind */

const STAGES = /** @type {const} */ ([
  ['identify', 'identify'], ['qualify', 'qualify'], ['scope', 'scope'], ['price', 'price'], ['propose', 'propose'], ['close', 'close'],
]);

/** The choices of a `choice` field, value and label. */
const CHOICES = {
  '/conflict/relatedCompanies': [
    ['review', 'possibly one customer: review'],
    ['same', 'one customer'],
    ['separate', 'separate customers'],
  ],
  '/leadRouting/method': [
    ['weightedByTier', 'weighted by tier'],
    ['roundRobin', 'round robin'],
    ['leastLoaded', 'least loaded'],
  ],
  '/qualification/whenShort': [
    ['review', 'a person reviews it'],
    ['reject', 'rejected'],
  ],
  '/extension/minimumStage': STAGES,
};

/** Currencies offered first; any ISO 4217 code may be typed. */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'CHF', 'PLN', 'CAD', 'AUD', 'JPY', 'INR', 'SGD', 'ZAR', 'BRL'];

/**
 * A field of the form: label, JSON pointer into the programme, input kind,
 * and what it means (the template's value explained).
 * @typedef {readonly [string, string, 'text' | 'date' | 'currency' | 'int' | 'number' | 'optional' | 'bool' | 'choice', string?]} Field
 */

/** @type {Record<string, readonly Field[]>} */
const SECTIONS = {
  basics: [
    ['Programme name', '/name', 'text', 'What partners see at the top of every page and file.'],
    ['Your company', '/vendor', 'text', 'The vendor partners register their deals with.'],
    ['Currency', '/currency', 'currency', 'Prices, deal values, bounties and the budget are in it. Deals in other currencies need a rate (in the JSON).'],
    ['Starts', '/starts', 'date', 'Registrations are accepted from this day…'],
    ['Ends', '/ends', 'date', '…to this day. A year is usual; a new period is a new revision.'],
  ],
  rules: [
    ['Protection days', '/protectionDays', 'int', 'How long an approved registration protects the deal from other partners. 90 days is the most common window.'],
    ['Extension days', '/extension/days', 'int', 'How much longer an extension protects it.'],
    ['Extensions allowed', '/extension/maxExtensions', 'int', 'One 30-day extension is typical; 0 for none.'],
    ['Extension from stage', '/extension/minimumStage', 'choice', 'A deal must have got this far to be extended, so stalled deals lapse.'],
    ['Minimum deal value', '/minimumDealValue', 'number', 'Smaller deals are not registered: they are not worth protecting.'],
    ['New business only', '/newBusinessOnly', 'bool', 'Renewals and add-ons to existing customers are not protected.'],
    ['Customer must be in the partner\'s countries', '/eligibility/customerInPartnerCountries', 'bool', 'Refuses a deal outside the countries a partner is listed for.'],
    ['Auto-approve below', '/approval/autoApproveBelow', 'number', 'Clean registrations below this value are approved at once; larger ones wait for you.'],
    ['Review SLA (business days)', '/approval/reviewSlaBusinessDays', 'int', 'How soon you promise a decision. Two days is what partners expect.'],
    ['Second registrant keeps (0–1)', '/conflict/secondRegistrantShare', 'number', 'When two partners register one deal, the first wins; the second keeps this share of the benefit. 0: nothing, 0.5: half.'],
    ['Companies with the same first word ("Volvo Cars", "Volvo CE")', '/conflict/relatedCompanies', 'choice', 'Whether such names are one customer, two, or for you to review.'],
    ['Same customer from match score', '/conflict/matchThresholds/same', 'number', 'How alike two customers\' names and domains must be (0–1) to be one customer.'],
    ['Possibly the same from match score', '/conflict/matchThresholds/possible', 'number', 'Below "same", down to this score, you review the pair.'],
  ],
  incentives: [
    ['Incentive budget', '/incentiveBudget', 'optional', 'What the bounties and rebates of this period may cost in all. Only your desk holds it; empty: no budget is kept.'],
  ],
  leads: [
    ['Leads go to partners', '/leadRouting/method', 'choice', 'Weighted by tier gives better tiers more leads.'],
    ['Hours a partner has to accept an offer', '/leadRouting/acceptWithinHours', 'int', 'An offer not accepted in time goes to the next partner. 72 hours is usual.'],
    ['Days untouched before a lead is idle', '/leadRouting/idleDays', 'int', 'An idle lead may be recalled and offered again.'],
    ['Engagement points a day, at most', '/leadScoring/engagement/dailyCap', 'number', 'So one busy day does not make a lead hot.'],
    ['Engagement half-life (days)', '/leadScoring/engagement/halfLifeDays', 'number', 'Old activity counts for less: half as much after this many days.'],
  ],
  qualification: [
    ['Items needed to approve without review', '/qualification/toApprove', 'int', 'Of the checklist above; the template asks three of BANT\'s four.'],
    ['Items needed for an extension', '/qualification/toExtend', 'int'],
    ['Short of it', '/qualification/whenShort', 'choice'],
    ['Routed leads converted: approve without review below', '/leadPriority/autoApproveBelow', 'optional', 'A deal from a lead you gave the partner is approved at once below this value. Empty: no such rule.'],
    ['Routed leads come first in conflicts', '/leadPriority/firstInConflicts', 'bool', 'A partner converting a lead you routed to it counts as first for that customer: another partner\'s registration received after your offer gives way.'],
    ['Largest special price (points)', '/pricing/maxSpecialPoints', 'number', 'The largest extra discount a special price request may grant.'],
    ['Audit tolerance (points)', '/pricing/auditTolerancePoints', 'number', 'The pricing audit flags a partner whose unexplained discounts differ from its tier\'s by more.'],
  ],
};

/**
 * What the core takes when an older programme has none of these: shown in the
 * form, and written into the JSON on the first edit.
 * @type {Record<string, unknown>}
 */
const DEFAULTS = {
  '/qualification/toApprove': 0,
  '/qualification/toExtend': 0,
  '/qualification/whenShort': 'review',
  '/pricing/maxSpecialPoints': 10,
  '/pricing/auditTolerancePoints': 0.5,
};

/**
 * A column of a table of records: the record's key, its label, and the input.
 * `list`: several values, comma-separated; `choice`: one of `choices()`.
 * @typedef {{ key: string, label: string, kind: 'text' | 'date' | 'number' | 'int' | 'bool' | 'choice' | 'list' | 'key', choices?: () => (readonly [string, string])[], upper?: boolean, hint?: string }} Column
 */

/**
 * A new checklist item's id from its label, camelCase ("Budget confirmed" →
 * "budgetConfirmed"), made unique against `taken` with a number.
 * @param {string} label
 * @param {Set<string>} taken
 */
export function itemId(label, taken) {
  const words = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[A-Za-z0-9]+/g) ?? [];
  const base = words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w.toLowerCase())).join('').slice(0, 56) || 'item';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}${n}`;
  return id;
}

/** `/approval/autoApproveBelow` → `$.approval.autoApproveBelow`, the core's paths. */
const toPath = (/** @type {string} */ pointer) => `$${pointer.replaceAll('/', '.')}`;

/**
 * @param {any} doc
 * @param {string} pointer
 */
function get(doc, pointer) {
  return pointer.split('/').slice(1).reduce((v, k) => (v == null ? v : v[k]), doc);
}

/**
 * @param {any} doc
 * @param {string} pointer
 * @param {unknown} value
 */
function put(doc, pointer, value) {
  const keys = pointer.split('/').slice(1);
  const last = /** @type {string} */ (keys.pop());
  const parent = keys.reduce((v, k) => (v[k] ??= {}), doc);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

/** @param {Workspace} ws */
export function programmeEditor(ws) {
  const programme = ws.programme;
  if (!programme) return startView(ws);
  const invited = new Set((programme.partners ?? []).filter((p) => p.signingKey).map((p) => p.id));
  return h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, `Programme: ${programme.name}`),
      h('p', { class: 'lead' }, `Revision ${programme.revision}. What every partner desk decides by: change it here, save, then publish the new revision to your partners.`)),
    editProgramme(programme, {
      save: saveProgramme,
      saveLabel: 'Save programme',
      invite: { saved: new Set((programme.partners ?? []).map((p) => p.id)), invited },
      saved: savedPanel(programme),
    }));
}

/**
 * A vendor desk without a programme: three questions, then the template.
 * @param {Workspace} ws
 */
function startView(ws) {
  return h('section', { class: 'setup' },
    h('h1', {}, 'Build your programme'),
    h('p', { class: 'lead' }, 'Start from a typical 90-day deal registration programme: three tiers, a 90-day protection window, one 30-day extension, approval without review below 10,000 and the BANT checklist. You then add your products and partners and change whatever differs, every value explained.'),
    ws.role?.kind === 'vendor' ? h('div', { class: 'card' }, startForm()) : h('p', { class: 'empty' }, 'A partner desk gets its programme from the vendor\'s invitation.'));
}

/**
 * Company, programme name and currency; starting makes the programme from the
 * template (and the desk's signing key, which invitations need).
 * @param {{ vendor?: string }} [preset]
 */
export function startForm(preset = {}) {
  const vendor = h('input', { type: 'text', id: 'start-vendor', required: true, autocomplete: 'organization', value: preset.vendor ?? '', placeholder: 'e.g. Acme Networks Ltd' });
  const name = h('input', { type: 'text', id: 'start-name', required: true, placeholder: 'e.g. Acme Partner Advantage 2027' });
  const currency = currencyInput('start-currency', 'EUR');
  const error = h('div', { class: 'field-error', role: 'alert' });
  const start = async (/** @type {Event} */ event) => {
    event.preventDefault();
    error.textContent = '';
    const v = /** @type {HTMLInputElement} */ (vendor).value.trim();
    const n = /** @type {HTMLInputElement} */ (name).value.trim();
    if (!v || !n) {
      error.textContent = !v ? 'Type your company\'s name.' : 'Give the programme a name.';
      return;
    }
    await startProgramme(v, n, /** @type {HTMLInputElement} */ (currency.input).value.trim().toUpperCase());
  };
  return h('form', { class: 'start-form', id: 'start-programme', onsubmit: start },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'start-vendor' }, 'Your company'), vendor),
      h('div', { class: 'field' }, h('label', { for: 'start-name' }, 'Programme name'), name),
      h('div', { class: 'field' }, h('label', { for: 'start-currency' }, 'Currency'), currency.box)),
    error,
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, 'Start my programme')));
}

/**
 * A currency code: the common ones offered, any other typed.
 * @param {string} id
 * @param {string} value
 */
function currencyInput(id, value) {
  const list = `${id}-list`;
  const input = h('input', { type: 'text', id, value, list, maxlength: 3, autocomplete: 'off', class: 'currency', spellcheck: 'false' });
  return { input, box: h('span', {}, input, h('datalist', { id: list }, CURRENCIES.map((c) => h('option', { value: c })))) };
}

/**
 * A vendor desk's first programme, from the template; the desk's signing key
 * is made with it if it has none, so that its invitations can be signed.
 * @param {string} vendor
 * @param {string} name
 * @param {string} currency
 */
export async function startProgramme(vendor, name, currency) {
  if (!desk.overview().role && !(await desk.chooseRole({ kind: 'vendor' }))) return false;
  let programme;
  try {
    programme = desk.programmeTemplate(name, vendor, currency);
  } catch (error) {
    showFailure({ title: 'Starting the programme', message: String(error), problems: [] });
    return false;
  }
  if (!desk.publicKey() && !desk.keyProblem() && !(await desk.createKey())) return false;
  const saved = await desk.setProgramme(JSON.stringify(programme));
  if ('failure' in saved) {
    showFailure(saved.failure);
    return false;
  }
  location.hash = '#programme';
  notify('Your programme is drafted from the template. Add your products and partners, change what differs, then save and invite your partners.');
  return true;
}

/**
 * The vendor's last save in this page: what it changed, shown beside the
 * Save button once the page is drawn again, until dismissed.
 * @type {{ revision: number, changes: string[] } | null}
 */
let lastSave = null;

/**
 * Saves the vendor's programme; the page, drawn again, says what changed.
 * @param {string} text
 * @returns {Promise<Failure | null>}
 */
async function saveProgramme(text) {
  const outcome = await desk.setProgramme(text);
  if ('failure' in outcome) return outcome.failure;
  lastSave = outcome.saved;
  if (!lastSave.changes.length) notify(`Nothing changed: the programme is still revision ${lastSave.revision}.`);
  // The page was drawn again as the desk changed, before this save's words were known.
  const programme = desk.overview().programme;
  const panel = programme ? savedPanel(programme) : null;
  if (panel) {
    document.querySelector('.saved-panel')?.remove();
    document.querySelector('.programme-edit .builder-actions')?.after(panel);
    // Where the eye and a screen reader go next; not on later redraws (another tab's save).
    /** @type {HTMLElement | null} */ (panel.querySelector('h2'))?.focus();
  }
  return null;
}

/**
 * What the last save changed, in words, and the file to publish: beside the
 * Save button, where the vendor is looking; not a dialog in the way.
 * @param {Programme} programme
 */
function savedPanel(programme) {
  if (!lastSave?.changes.length || lastSave.revision !== programme.revision) return null;
  const { revision, changes } = lastSave;
  const uninvited = (programme.partners ?? []).filter((p) => !p.signingKey).length;
  const panel = h('section', { class: 'saved-panel', role: 'status', 'aria-label': 'Programme saved' },
    h('h2', { tabindex: '-1' }, 'Programme saved'),
    h('p', {}, `Revision ${revision} is saved. Partners decide by the revision they hold until you send them this one: publish it (put the file beside the page as programme.json, or send it to them).`
      + (uninvited ? ` ${uninvited} partner${uninvited === 1 ? ' is' : 's are'} not invited yet: use Invite beside each under Partners.` : '')),
    h('ul', { class: 'changes' }, changes.map((c) => h('li', {}, c))),
    h('div', { class: 'actions' },
      h('button', { class: 'primary', onclick: () => {
        const file = desk.exportProgramme();
        if (file === undefined) return;
        download(`${programme.id}-r${revision}.programme.json`, file);
        notify(`Programme file of revision ${revision} downloaded: host it as programme.json beside the page, or send it to your partners.`);
      } }, 'Download the programme file to publish'),
      h('button', { onclick: () => { lastSave = null; panel.remove(); } }, 'Dismiss')));
  return panel;
}

/**
 * The builder's form for any programme; `save` gets the JSON text and answers
 * with a failure to show by field, or null. `invite`: the partners saved in
 * the vendor's programme, which may be invited, and those invited already.
 * `saved`: what the last save changed, shown under the Save button.
 * `fromJson`: drawn again from the JSON box, which stays open, with the
 * problems a save found in it, if any.
 * @typedef {{ save: (text: string) => Failure | null | Promise<Failure | null>, saveLabel: string, invite?: { saved: Set<string>, invited: Set<string> }, saved?: HTMLElement | null, fromJson?: { problems: { path: string, message: string }[] } }} EditOptions
 * @param {Programme} programme
 * @param {EditOptions} options
 * @param {string} [savedText] the programme as saved, to tell unsaved changes (when drawn again from the JSON)
 */
export function editProgramme(programme, options, savedText) {
  const { save: saveText, saveLabel, invite } = options;
  /** @type {any} */
  const doc = structuredClone(programme);
  doc.partners ??= [];
  savedText ??= JSON.stringify(doc);
  /** Records added in this form: their ids follow their names until saved. */
  const fresh = new WeakSet();
  /** Every place a problem can be shown, by the core's path. @type {Map<string, HTMLElement>} */
  const boxes = new Map();
  /** Sections, for problems under a path no field has (`$.tiers` for `$.tiers[3]`). */
  const sectionBoxes = new Map();
  const problems = h('ul', { class: 'problems', 'aria-live': 'polite' });
  const status = h('span', { class: 'builder-status', 'aria-live': 'polite' });
  const raw = h('textarea', { class: 'json', rows: 24, spellcheck: 'false', 'aria-label': 'Programme as JSON', 'data-path': '$' });

  // ---- Scalar fields ----
  const field = (/** @type {Field} */ [label, pointer, kind, help]) => {
    const value = get(doc, pointer) ?? DEFAULTS[pointer];
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let input;
    let control;
    if (kind === 'bool') {
      input = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: Boolean(value) }));
    } else if (kind === 'choice') {
      const choices = CHOICES[/** @type {keyof typeof CHOICES} */ (pointer)];
      input = /** @type {HTMLSelectElement} */ (h('select', {}, choices.map(([v, text]) => h('option', { value: v }, text))));
      input.value = String(value ?? choices[0][0]);
    } else if (kind === 'currency') {
      const c = currencyInput('programme-currency', String(value ?? ''));
      input = /** @type {HTMLInputElement} */ (c.input);
      control = c.box;
    } else {
      input = /** @type {HTMLInputElement} */ (h('input', {
        type: kind === 'text' ? 'text' : kind === 'date' ? 'date' : 'number',
        step: kind === 'int' ? 1 : kind === 'text' || kind === 'date' ? null : 'any',
        value: String(value ?? ''),
        placeholder: kind === 'optional' ? 'none' : null,
      }));
    }
    const box = h('div', { class: kind === 'bool' ? 'field check' : 'field', 'data-field': toPath(pointer) },
      kind === 'bool' ? h('label', {}, input, ` ${label}`) : h('label', {}, label, control ?? input),
      help ? h('span', { class: 'hint' }, help) : null,
      h('div', { class: 'field-error' }));
    boxes.set(toPath(pointer), box);
    const write = () => {
      const el = /** @type {HTMLInputElement} */ (input);
      let v;
      if (kind === 'bool') v = el.checked;
      else if (kind === 'choice' || kind === 'text' || kind === 'date') v = el.value;
      else if (kind === 'currency') v = el.value.trim().toUpperCase();
      else if (kind === 'optional' && el.value === '') v = undefined;
      else v = el.value === '' ? null : Number(el.value);
      put(doc, pointer, v);
      edited();
    };
    input.addEventListener('input', write);
    input.addEventListener('change', write);
    return box;
  };
  const fields = (/** @type {keyof typeof SECTIONS} */ name) => SECTIONS[name].map(field);
  const grades = (doc.leadScoring?.grades ?? []).map((/** @type {{ name: string }} */ g, /** @type {number} */ i) =>
    field([`${g.name} from score`, `/leadScoring/grades/${i}/minScore`, 'number']));

  // ---- Tables of records ----
  /**
   * @param {{ list: string, noun: string, columns: Column[], make: () => any, idKey?: string, idPrefix?: string, csv?: ListKind, extra?: (record: any) => HTMLElement | null, intro: string }} spec
   */
  const table = (spec) => {
    const body = h('tbody');
    const errors = h('div', { class: 'records', 'data-field': `$.${spec.list}` }, h('div', { class: 'field-error' }));
    sectionBoxes.set(`$.${spec.list}`, errors);
    const draw = () => {
      for (const key of [...boxes.keys()]) if (key.startsWith(`$.${spec.list}[`)) boxes.delete(key);
      const records = /** @type {any[]} */ (get(doc, `/${spec.list}`) ?? []);
      mount(body, records.map((record, i) => h('tr', {},
        spec.columns.map((c) => h('td', {}, cell(spec, c, record, i))),
        h('td', { class: 'row-actions' },
          spec.extra?.(record) ?? null,
          h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${spec.noun} ${i + 1}`, onclick: () => {
            records.splice(i, 1);
            draw();
            redrawOthers(spec.list);
            edited();
          } }, 'Remove')))));
      if (!records.length) mount(body, h('tr', {}, h('td', { colspan: spec.columns.length + 1, class: 'muted' }, `No ${spec.noun}s yet.`)));
    };
    const add = () => {
      const record = spec.make();
      if (spec.idKey) fresh.add(record);
      const records = get(doc, `/${spec.list}`) ?? [];
      records.push(record);
      put(doc, `/${spec.list}`, records);
      draw();
      redrawOthers(spec.list);
      edited();
      /** @type {HTMLElement | null} */ (body.querySelector('tr:last-child input, tr:last-child select'))?.focus();
    };
    const fromFile = spec.csv ? csvButton(spec.csv, () => { drawAll(); edited(); }) : null;
    tables.set(spec.list, draw);
    draw();
    return h('div', {},
      h('p', { class: 'muted small' }, spec.intro),
      h('div', { class: 'table-wrap' }, h('table', { class: 'records-table' },
        h('thead', {}, h('tr', {}, spec.columns.map((c) => h('th', {}, c.label)), h('th', {}, h('span', { class: 'visually-hidden' }, 'Actions')))),
        body)),
      errors,
      h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'small', onclick: add }, `Add ${spec.noun}`), fromFile));
  };

  /**
   * One cell's input, writing into the record.
   * @param {{ list: string, noun: string, idKey?: string, idPrefix?: string }} spec
   * @param {Column} c
   * @param {any} record
   * @param {number} i
   */
  const cell = (spec, c, record, i) => {
    const path = `$.${spec.list.replaceAll('/', '.')}[${i}].${c.key}`;
    const label = `${c.label} of ${spec.noun} ${i + 1}`;
    const value = record[c.key];
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let input;
    if (c.kind === 'bool') {
      input = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: Boolean(value), 'aria-label': label }));
    } else if (c.kind === 'choice') {
      const choices = c.choices?.() ?? [];
      input = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': label },
        choices.some(([v]) => v === value) ? null : h('option', { value: value ?? '' }, value ? `${value} (unknown)` : 'choose…'),
        choices.map(([v, text]) => h('option', { value: v }, text))));
      input.value = value ?? '';
    } else {
      const text = c.kind === 'list' ? (value ?? []).join(', ') : String(value ?? '');
      input = /** @type {HTMLInputElement} */ (h('input', {
        type: c.kind === 'number' || c.kind === 'int' ? 'number' : c.kind === 'date' ? 'date' : 'text', step: c.kind === 'int' ? 1 : c.kind === 'number' ? 'any' : null,
        value: text, 'aria-label': label, class: c.kind === 'key' ? 'mono' : c.kind === 'number' || c.kind === 'int' ? 'num' : null,
        placeholder: c.hint ?? null, spellcheck: c.kind === 'key' ? 'false' : null,
      }));
    }
    const write = () => {
      const el = /** @type {HTMLInputElement} */ (input);
      if (c.kind === 'bool') record[c.key] = el.checked;
      else if (c.kind === 'number' || c.kind === 'int') record[c.key] = el.value === '' ? null : Number(el.value);
      else if (c.kind === 'list') record[c.key] = el.value.split(/[,;]+/).map((s) => (c.upper ? s.trim().toUpperCase() : s.trim())).filter(Boolean);
      else if (c.kind === 'key') {
        if (el.value.trim()) record[c.key] = el.value.trim();
        else delete record[c.key];
      } else record[c.key] = el.value;
      if (c.key === 'name' && spec.idKey && fresh.has(record)) renameFresh(spec, record);
      edited();
    };
    input.addEventListener('input', write);
    // A name or id others choose from: their choices follow once it is typed.
    input.addEventListener('change', () => { write(); if (c.key === 'name' || c.key === 'id') redrawOthers(spec.list); });
    const box = h('div', { class: c.kind === 'bool' ? 'field check' : 'field', 'data-field': path }, input, h('div', { class: 'field-error' }));
    boxes.set(path, box);
    return box;
  };

  /**
   * A record added here takes its id from its name, and whatever refers to
   * it (a partner's tier, a product's line) follows.
   * @param {{ list: string, idKey?: string, idPrefix?: string }} spec
   * @param {any} record
   */
  const renameFresh = (spec, record) => {
    const key = /** @type {string} */ (spec.idKey);
    const others = (get(doc, `/${spec.list}`) ?? []).filter((/** @type {any} */ r) => r !== record).map((/** @type {any} */ r) => r[key]);
    const before = record[key];
    const after = idFrom(record.name ?? '', spec.idPrefix ?? '', new Set(others));
    if (before === after) return;
    record[key] = after;
    if (spec.list === 'tiers') for (const p of doc.partners) if (p.tier === before) p.tier = after;
    if (spec.list === 'productLines') {
      for (const p of doc.products) if (p.line === before) p.line = after;
      for (const p of doc.partners) p.specialisations = (p.specialisations ?? []).map((/** @type {string} */ s) => (s === before ? after : s));
    }
  };

  /** @type {Map<string, () => void>} */
  const tables = new Map();
  /** What other tables choose from `list`: redrawn when it changes. */
  const redrawOthers = (/** @type {string} */ list) => {
    const dependents = { tiers: ['partners'], productLines: ['products'] };
    for (const other of /** @type {Record<string, string[]>} */ (dependents)[list] ?? []) tables.get(other)?.();
  };
  const drawAll = () => { for (const draw of tables.values()) draw(); };

  /**
   * A button that reads a spreadsheet list into the programme, all or nothing.
   * @param {ListKind} kind
   * @param {() => void} after
   */
  const csvButton = (kind, after) => {
    const what = LISTS[kind].what;
    const input = h('input', { type: 'file', accept: '.csv,text/csv,.tsv,.txt', class: 'visually-hidden', 'aria-label': `Read a ${what} (CSV)` });
    input.addEventListener('change', async () => {
      const file = /** @type {HTMLInputElement} */ (input).files?.[0];
      /** @type {HTMLInputElement} */ (input).value = '';
      if (!file) return;
      const read = desk.readTable(await file.text(), what);
      if ('failure' in read) {
        showFailure(read.failure);
        return;
      }
      const merged = readList(doc, kind, read.table);
      if ('problems' in merged) {
        showFailure({ title: `Reading ${file.name}`, message: `Nothing from the ${what} was taken: ${merged.problems.length === 1 ? `${merged.problems[0].path} ${merged.problems[0].message}` : `${merged.problems.length} rows need mending first.`}`, problems: merged.problems });
        return;
      }
      for (const key of Object.keys(doc)) delete doc[key];
      Object.assign(doc, merged.programme);
      const parts = [`${merged.added.length} added`, `${merged.updated.length} updated`];
      if (merged.linesAdded.length) parts.push(`new product lines: ${merged.linesAdded.join(', ')}`);
      notify(`${file.name}: ${parts.join(', ')}. Save the programme to keep them.`);
      after();
    });
    return h('label', { class: 'button small' }, input, `Read a ${what} (CSV)…`);
  };

  /**
   * Invite beside a saved partner: the invitation as a link and a file.
   * @param {any} record
   */
  function inviteButton(record) {
    if (!invite?.saved.has(record.id) || fresh.has(record)) return null;
    const again = invite.invited.has(record.id);
    return h('button', { type: 'button', class: again ? 'small' : 'small primary', 'aria-label': `${again ? 'Invite again' : 'Invite'} ${record.name}`,
      onclick: () => invitePartner(record.id, record.name, again, dirty()) }, again ? 'Invite again' : 'Invite');
  }

  const tierChoices = () => (doc.tiers ?? []).map((/** @type {any} */ t) => /** @type {const} */ ([t.id, t.name || t.id]));
  const lineChoices = () => (doc.productLines ?? []).map((/** @type {any} */ l) => /** @type {const} */ ([l.id, l.name || l.id]));
  const lowestTier = () => doc.tiers?.[doc.tiers.length - 1]?.id ?? '';

  const tiersTable = table({
    list: 'tiers', noun: 'tier', idKey: 'id',
    intro: 'Partners earn more at better tiers: extra discount on registered deals, a rebate on won ones, a bounty per approved registration, and a larger share of leads (the weight).',
    columns: [
      { key: 'name', label: 'Tier', kind: 'text' },
      { key: 'eligible', label: 'Registers deals', kind: 'bool' },
      { key: 'extraDiscountPoints', label: 'Extra discount (points)', kind: 'number' },
      { key: 'rebatePercent', label: 'Rebate (%)', kind: 'number' },
      { key: 'bounty', label: 'Bounty', kind: 'number' },
      { key: 'leadWeight', label: 'Lead weight', kind: 'number' },
    ],
    make: () => ({ id: '', name: '', eligible: true, extraDiscountPoints: 0, rebatePercent: 0, bounty: 0, leadWeight: 1 }),
  });
  const linesTable = table({
    list: 'productLines', noun: 'product line', idKey: 'id',
    intro: 'Families of products. Two registrations conflict only when the lines of their registrable products overlap.',
    columns: [{ key: 'name', label: 'Product line', kind: 'text' }],
    make: () => ({ id: '', name: '' }),
  });
  const productsTable = table({
    list: 'products', noun: 'product', csv: 'products',
    intro: 'What partners register, at list price. A price list from a spreadsheet needs columns for the SKU and the list price; name, product line and registrable are read when present.',
    columns: [
      { key: 'sku', label: 'SKU', kind: 'text' },
      { key: 'name', label: 'Product', kind: 'text' },
      { key: 'line', label: 'Line', kind: 'choice', choices: lineChoices },
      { key: 'registrable', label: 'Registrable', kind: 'bool' },
      { key: 'listPrice', label: 'List price', kind: 'number' },
    ],
    make: () => ({ sku: '', name: '', line: doc.productLines?.[0]?.id ?? '', registrable: true, listPrice: 0 }),
  });
  const partnersTable = table({
    list: 'partners', noun: 'partner', idKey: 'id', idPrefix: 'p-', csv: 'partners',
    intro: 'Only your desk holds this list. Each partner sees its own record alone, from its invitation: never the others, nor your budget. A partner list from a spreadsheet needs columns for the name and the tier.',
    columns: [
      { key: 'name', label: 'Partner', kind: 'text' },
      { key: 'tier', label: 'Tier', kind: 'choice', choices: tierChoices },
      { key: 'countries', label: 'Countries', kind: 'list', upper: true, hint: 'NO, SE' },
      { key: 'specialisations', label: 'Product lines', kind: 'list', hint: 'ids, comma-separated' },
      { key: 'leadCapacity', label: 'Lead capacity', kind: 'int' },
      { key: 'status', label: 'Status', kind: 'choice', choices: () => [['active', 'active'], ['suspended', 'suspended']] },
      { key: 'signingKey', label: 'Signing key', kind: 'key', hint: 'set by the invitation' },
    ],
    make: () => ({ id: '', name: '', tier: lowestTier(), countries: [], specialisations: [], certifications: [], leadCapacity: 10, status: 'active' }),
    extra: invite ? (record) => inviteButton(record) : undefined,
  });
  const holidaysTable = table({
    list: 'approval/holidays', noun: 'holiday',
    intro: 'Days you do not review, beside weekends: review due dates skip them. Leave the countries empty for a holiday everywhere, or list the customer countries it applies to.',
    columns: [
      { key: 'date', label: 'Date', kind: 'date' },
      { key: 'name', label: 'Holiday', kind: 'text', hint: 'Christmas Day' },
      { key: 'countries', label: 'Countries', kind: 'list', upper: true, hint: 'all, or NO, SE' },
    ],
    make: () => ({ date: '', name: '', countries: [] }),
  });
  const accountsTable = table({
    list: 'namedAccounts', noun: 'named account', csv: 'namedAccounts',
    intro: 'Customers you sell to directly: partners cannot register them.',
    columns: [
      { key: 'name', label: 'Account', kind: 'text' },
      { key: 'domains', label: 'Web domains', kind: 'list', hint: 'example.com' },
      { key: 'country', label: 'Country', kind: 'text', hint: 'SE' },
    ],
    make: () => ({ name: '', domains: [], country: '' }),
  });

  // ---- The checklist: items keep their ids (registrations confirm them by id) ----
  /** @typedef {{ id: string | null, input: HTMLInputElement, box: HTMLElement }} ItemRow */
  /** @type {ItemRow[]} */
  const items = [];
  const itemList = h('ol', { class: 'checklist-items' });
  const itemsBox = h('div', { class: 'field', 'data-field': '$.qualification.items' },
    h('span', { class: 'label' }, 'Checklist items the partner confirms'), itemList, h('div', { class: 'field-error' }));
  boxes.set('$.qualification.items', itemsBox);
  const renumber = () => {
    for (const key of [...boxes.keys()]) if (key.startsWith('$.qualification.items[')) boxes.delete(key);
    items.forEach((row, i) => {
      row.box.setAttribute('data-field', `$.qualification.items[${i}].label`);
      boxes.set(`$.qualification.items[${i}].label`, row.box);
      row.input.setAttribute('aria-label', `Checklist item ${i + 1}`);
      /** @type {HTMLElement} */ (row.box.querySelector('button')).setAttribute('aria-label', `Remove checklist item ${i + 1}`);
    });
  };
  /** Each row's id: its own if saved, else made from the label. */
  const itemIds = () => {
    const taken = new Set(items.flatMap((r) => (r.id === null ? [] : [r.id])));
    return items.map((r) => {
      if (r.id !== null) return r.id;
      const id = itemId(r.input.value, taken);
      taken.add(id);
      return id;
    });
  };
  const writeItems = () => {
    const ids = itemIds();
    doc.qualification ??= {};
    doc.qualification.items = items.map((row, i) => ({ id: ids[i], label: row.input.value.trim() }));
    edited();
  };
  /** @param {string | null} id @param {string} label */
  const addItem = (id, label) => {
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: label, placeholder: 'What the partner confirms' }));
    const remove = h('button', { type: 'button', class: 'small' }, 'Remove');
    const box = h('li', { class: 'field checklist-item' }, h('div', { class: 'row' }, input, remove), h('div', { class: 'field-error' }));
    const row = { id, input, box };
    remove.addEventListener('click', () => {
      items.splice(items.indexOf(row), 1);
      box.remove();
      renumber();
      writeItems();
    });
    input.addEventListener('input', writeItems);
    items.push(row);
    itemList.append(box);
    renumber();
    return row;
  };
  for (const item of doc.qualification?.items ?? []) addItem(item.id, item.label);
  const addItemButton = h('button', { type: 'button', class: 'small', onclick: () => {
    addItem(null, '').input.focus();
    writeItems();
  } }, 'Add checklist item');

  // ---- Checking as it is typed ----
  let timer = 0;
  let lastText = JSON.stringify(doc);
  const dirty = () => lastText !== savedText;
  /** After every edit: the JSON follows, and the core checks it a moment later. */
  function edited() {
    lastText = JSON.stringify(doc);
    raw.value = JSON.stringify(doc, null, 2);
    rawEdited = false;
    status.textContent = dirty() ? 'Unsaved changes' : '';
    clearTimeout(timer);
    timer = window.setTimeout(check, 250);
  }
  const clearMarks = () => {
    for (const box of [...boxes.values(), ...sectionBoxes.values()]) {
      box.classList.remove('invalid');
      const error = /** @type {HTMLElement | null} */ (box.querySelector(':scope > .field-error'));
      if (error) error.textContent = '';
    }
    problems.replaceChildren();
  };
  /** @param {{ path: string, message: string }[]} list */
  const mark = (list) => {
    clearMarks();
    const said = new Set();
    for (const p of list) {
      // An item's id is made from its label, a record's from its name: the problem shows beside it.
      const path = p.path.replace(/^(\$\.qualification\.items\[\d+\])\.id$/, '$1.label').replace(/^(\$\.(?:tiers|productLines|partners)\[\d+\])\.id$/, '$1.name');
      // A blank name and the blank id made from it are one problem.
      if (said.has(`${path} ${p.message}`)) continue;
      said.add(`${path} ${p.message}`);
      // A value of a list (countries[1]) is shown beside the list's field.
      const box = boxes.get(path) ?? boxes.get(path.replace(/\[\d+\]$/, '')) ?? [...sectionBoxes.entries()].find(([prefix]) => path.startsWith(`${prefix}[`) || path === prefix)?.[1];
      if (box) {
        box.classList.add('invalid');
        const error = /** @type {HTMLElement} */ (box.querySelector(':scope > .field-error'));
        error.textContent = error.textContent ? `${error.textContent}; ${p.message}` : p.message;
      }
      problems.append(h('li', {}, h('code', {}, describePath(path)), ' ', p.message));
    }
    status.textContent = `${dirty() ? 'Unsaved changes. ' : ''}${list.length ? `${list.length} problem${list.length === 1 ? '' : 's'} to mend` : ''}`.trim();
  };
  function check() {
    const read = desk.readProgramme(lastText);
    mark('failure' in read ? (read.failure.problems.length ? read.failure.problems : [{ path: '$', message: read.failure.message }]) : []);
  }

  // The JSON, for specialists: read back into the form when it is valid.
  raw.value = JSON.stringify(doc, null, 2);
  /** The JSON box holds edits the form has not read yet. */
  let rawEdited = false;
  /** Save is being pressed: it saves the JSON box's text itself. */
  let pressingSave = false;
  /** @returns {any} the JSON box's programme, or undefined (its problem shown) */
  const readRaw = () => {
    try {
      return JSON.parse(raw.value);
    } catch (error) {
      mark([{ path: '$', message: `is not JSON: ${String(error).replace(/^SyntaxError: /, '')}` }]);
      return undefined;
    }
  };
  /** Draws the builder again from the JSON box, still compared with the programme as saved. */
  const redrawFrom = (/** @type {any} */ parsed, /** @type {{ path: string, message: string }[]} */ found = []) => {
    const next = editProgramme(parsed, { ...options, saved: null, fromJson: { problems: found } }, savedText);
    ready.replaceWith(next);
    /** @type {HTMLElement | null} */ (next.querySelector('details.json-box summary'))?.focus();
  };
  raw.addEventListener('input', () => { rawEdited = true; });
  raw.addEventListener('change', () => {
    const parsed = readRaw();
    // Leaving the box by pressing Save: redrawing now would swallow the click.
    if (parsed !== undefined && !pressingSave) redrawFrom(parsed);
  });

  const save = async () => {
    pressingSave = false;
    clearTimeout(timer);
    const fromRaw = rawEdited ? readRaw() : doc;
    if (fromRaw === undefined) return;
    clearMarks();
    const failure = await saveText(JSON.stringify(fromRaw, null, 2));
    if (!failure) return; // saved: the page is drawn again from the desk
    const found = failure.problems.length ? failure.problems : [{ path: '$', message: failure.message }];
    if (rawEdited) { redrawFrom(fromRaw, found); return; }
    mark(found);
    /** @type {HTMLElement | null} */ (document.querySelector('.programme-edit .invalid input, .programme-edit .invalid select'))?.focus();
  };
  const saveButton = h('button', { class: 'primary', onclick: save }, saveLabel);
  saveButton.addEventListener('pointerdown', () => { pressingSave = true; });
  // A press that ends elsewhere is no click: the next change redraws again.
  saveButton.addEventListener('pointerup', () => setTimeout(() => { pressingSave = false; }));
  saveButton.addEventListener('pointerleave', () => { pressingSave = false; });

  const build = () => h('div', { class: 'builder-sections' },
    nav(),
    section('basics', 'The programme', 'Who runs it, in which currency, for which period.', fields('basics')),
    section('rules', 'Registration rules', 'What a registration must meet, how long it is protected, and who decides.',
      [...fields('rules'), h('h3', {}, 'Review holidays'), holidaysTable]),
    section('tiers', 'Tiers', null, [tiersTable]),
    section('products', 'Products', null, [linesTable, h('h3', {}, 'Products'), productsTable]),
    section('partners', 'Partners', invite ? 'Invite each partner once it is saved: the invitation sets up its desk, as that partner and no other.' : null, [partnersTable]),
    section('accounts', 'Named accounts', null, [accountsTable]),
    section('qualification', 'Qualification and pricing', 'What a partner confirms to show the deal is real, how much of it approval and an extension need, and the largest extra discount a special price may grant.',
      [itemsBox, h('div', { class: 'toolbar' }, addItemButton), ...fields('qualification')]),
    section('incentives', 'Incentives and budget', 'Each tier\'s bounty and rebate are set under Tiers.', fields('incentives')),
    section('leads', 'Leads', 'How leads are scored and handed to partners. Fit rules and points per activity are in the JSON, under leadScoring.', [...fields('leads'), ...grades]),
    h('details', { class: 'json-box', open: Boolean(options.fromJson) }, h('summary', {}, 'The whole programme as JSON (for specialists)'),
      h('p', { class: 'muted small' }, 'Every setting, including those the forms above leave out. Edits here are read into the form when you leave the box.'),
      raw, h('a', { href: 'schemas/programme.schema.json', download: true }, 'JSON Schema')));
  const ready = h('div', { class: 'programme-edit' },
    build(),
    h('div', { class: 'actions builder-actions' }, saveButton, status),
    options.saved ?? null,
    h('h3', { class: 'visually-hidden' }, 'Problems'),
    problems);
  // The template's values are checked at once: a blank name is shown before saving.
  // Drawn again after a failed save of the JSON, the save's problems are shown.
  queueMicrotask(options.fromJson?.problems.length ? () => mark(/** @type {any} */ (options.fromJson).problems) : check);
  return ready;
}

/**
 * A section of the builder.
 * @param {string} id
 * @param {string} title
 * @param {string | null} intro
 * @param {HTMLElement[]} content
 */
function section(id, title, intro, content) {
  return h('fieldset', { id: `programme-${id}`, class: `builder-${id}` }, h('legend', {}, title),
    intro ? h('p', { class: 'muted small' }, intro) : null, ...content);
}

/** Links to the sections, for a long form. */
function nav() {
  const links = [['basics', 'Programme'], ['rules', 'Rules'], ['tiers', 'Tiers'], ['products', 'Products'], ['partners', 'Partners'],
    ['accounts', 'Named accounts'], ['qualification', 'Qualification'], ['incentives', 'Incentives'], ['leads', 'Leads']];
  return h('nav', { class: 'builder-nav', 'aria-label': 'Sections of the programme' },
    links.map(([id, label]) => h('button', { type: 'button', class: 'link', onclick: () => {
      const section = document.getElementById(`programme-${id}`);
      section?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      section?.querySelector(/** @type {'input'} */ ('input, select, textarea, button'))?.focus({ preventScroll: true });
    } }, label)));
}

/** `$.tiers[1].name` → `tier 2, name`: where a problem is, in words. @param {string} path */
function describePath(path) {
  const nouns = { tiers: 'tier', productLines: 'product line', products: 'product', partners: 'partner', namedAccounts: 'named account', 'qualification.items': 'checklist item', 'approval.holidays': 'holiday' };
  const m = path.match(/^\$\.([\w.]+?)\[(\d+)\](?:\.(\w+))?/);
  if (m && m[1] in nouns) return `${/** @type {Record<string, string>} */ (nouns)[m[1]]} ${Number(m[2]) + 1}${m[3] ? `, ${m[3]}` : ''}`;
  return path === '$' ? 'the programme' : path.slice(2);
}

/**
 * Makes the partner's invitation and shows it as a link and a file.
 * @param {string} partnerId
 * @param {string} name
 * @param {boolean} again invited before: a new invitation replaces its key
 * @param {boolean} unsaved the form holds changes the invitation would not carry
 */
async function invitePartner(partnerId, name, again, unsaved) {
  if (unsaved && !(await confirmDialog(`Invite ${name} with the saved programme?`,
    'The form holds changes that are not saved: the invitation carries the programme as last saved. Save first to invite with them.', 'Invite anyway'))) return;
  if (again && !(await confirmDialog(`Invite ${name} again?`,
    `A new invitation gives ${name} a new signing key: its desk set up from the earlier invitation can no longer sign submissions until it opens the new one.`, 'Make a new invitation'))) return;
  const text = await desk.invite(partnerId);
  if (text === undefined) return;
  const link = `${location.origin}${location.pathname}#${desk.invitationLink(text)}`;
  const field = h('textarea', { id: 'invitation-link', readonly: true, rows: 3, class: 'json', spellcheck: 'false' });
  /** @type {HTMLTextAreaElement} */ (field).value = link;
  const copy = h('button', { type: 'button', class: 'small', onclick: async () => {
    try {
      await navigator.clipboard.writeText(link);
      copy.textContent = 'Copied';
    } catch {
      /** @type {HTMLTextAreaElement} */ (field).select();
    }
  } }, 'Copy the link');
  const file = h('button', { type: 'button', class: 'small', id: 'invitation-file', onclick: () => download(`invitation-${partnerId}.json`, text) }, 'Download the invitation file');
  await formDialog(`Invitation for ${name}`,
    `Send ${name} the link, or the file if your page is not hosted yet. Opening either sets up ${name}'s desk with your programme and its own record, and nothing about your other partners. It holds the key ${name}'s desk signs with: send it to ${name} alone, by a channel you trust.`,
    'Done', [
      h('div', { class: 'field' }, h('label', { for: 'invitation-link' }, 'Invitation link'), field),
      h('div', { class: 'toolbar' }, copy, file),
    ], true);
}
