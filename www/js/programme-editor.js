// @ts-check
/**
 * The vendor's programme editor: a form for the settings changed most, and the
 * whole programme as JSON for the rest. Saving checks everything in the core
 * (the same rules as the schema in schemas/programme.schema.json, and more) and
 * shows each problem beside its field, or in the list under the JSON.
 */
import * as desk from './desk.js';
import { h } from './dom.js';
import { notify } from './messages.js';

/** @typedef {import('./desk.js').Workspace} Workspace */

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
};

/** The form's fields: label, JSON pointer into the programme, input kind. */
const FIELDS = /** @type {const} */ ([
  ['Protection days', '/protectionDays', 'int'],
  ['Minimum deal value', '/minimumDealValue', 'number'],
  ['Auto-approve below', '/approval/autoApproveBelow', 'number'],
  ['Review SLA (business days)', '/approval/reviewSlaBusinessDays', 'int'],
  ['Extension days', '/extension/days', 'int'],
  ['Extensions allowed', '/extension/maxExtensions', 'int'],
  ['Second registrant keeps (0–1)', '/conflict/secondRegistrantShare', 'number'],
  ['Same customer from match score', '/conflict/matchThresholds/same', 'number'],
  ['Possibly the same from match score', '/conflict/matchThresholds/possible', 'number'],
  ['Companies with the same first word ("Volvo Cars", "Volvo CE")', '/conflict/relatedCompanies', 'choice'],
  ['Incentive budget', '/incentiveBudget', 'number'],
  ['New business only', '/newBusinessOnly', 'bool'],
  ['Customer must be in the partner\'s countries', '/eligibility/customerInPartnerCountries', 'bool'],
]);

/** The lead settings; each grade's threshold is added from the programme. */
const LEAD_FIELDS = /** @type {const} */ ([
  ['Leads go to partners', '/leadRouting/method', 'choice'],
  ['Hours a partner has to accept an offer', '/leadRouting/acceptWithinHours', 'int'],
  ['Days untouched before a lead is idle', '/leadRouting/idleDays', 'int'],
  ['Engagement points a day, at most', '/leadScoring/engagement/dailyCap', 'number'],
  ['Engagement half-life (days)', '/leadScoring/engagement/halfLifeDays', 'number'],
]);

/**
 * The checklist's numbers, lead priority and pricing; the checklist's items are
 * listed above them. An `optional` number left empty is removed: none.
 */
const QUALIFICATION_FIELDS = /** @type {const} */ ([
  ['Items needed to approve without review', '/qualification/toApprove', 'int'],
  ['Items needed for an extension', '/qualification/toExtend', 'int'],
  ['Short of it', '/qualification/whenShort', 'choice'],
  ['Routed leads converted: approve without review below', '/leadPriority/autoApproveBelow', 'optional'],
  ['Largest special price (points)', '/pricing/maxSpecialPoints', 'number'],
  ['Audit tolerance (points)', '/pricing/auditTolerancePoints', 'number'],
]);

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
  parent[last] = value;
}

/** @param {Workspace} ws */
export function programmeEditor(ws) {
  const programme = ws.programme;
  if (!programme) return h('section', {}, h('h1', {}, 'Programme'), h('p', { class: 'empty' }, 'Load the demo data or restore a backup in Files first.'));
  return h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, `Programme: ${programme.name}`),
      h('p', { class: 'lead' }, 'What every partner desk decides by. Saving checks the whole programme and every registration on this desk against it.')),
    editProgramme(programme, { save: saveProgramme, saveLabel: 'Save programme' }));
}

/**
 * Saves the vendor's programme and says so.
 * @param {string} text
 */
async function saveProgramme(text) {
  const failure = await desk.setProgramme(text);
  if (!failure) {
    const revision = desk.overview().programme?.revision ?? 1;
    notify(`Programme saved as revision ${revision}. Partners see it once you send them the programme file (Files).`);
  }
  return failure;
}

/**
 * The editor's form and JSON for any programme; `save` gets the JSON text and
 * answers with a failure to show by field, or null. The sandbox edits its
 * programme B with it.
 * @param {NonNullable<Workspace['programme']>} programme
 * @param {{ save: (text: string) => import('./desk.js').Failure | null | Promise<import('./desk.js').Failure | null>, saveLabel: string }} options
 */
export function editProgramme(programme, { save: saveText, saveLabel }) {
  const raw = h('textarea', { class: 'json', rows: 24, spellcheck: 'false', 'aria-label': 'Programme as JSON', 'data-path': '$' });
  raw.value = JSON.stringify(programme, null, 2);
  const problems = h('ul', { class: 'problems', 'aria-live': 'polite' });
  /** @type {[string, string, string][]} */
  const grades = (programme.leadScoring?.grades ?? []).map((g, i) => [`${g.name} from score`, `/leadScoring/grades/${i}/minScore`, 'number']);
  const field = (/** @type {readonly [string, string, string]} */ [label, pointer, kind]) => {
    const value = get(programme, pointer) ?? DEFAULTS[pointer];
    let input;
    if (kind === 'bool') {
      input = h('input', { type: 'checkbox', checked: Boolean(value) });
    } else if (kind === 'choice') {
      const choices = CHOICES[/** @type {keyof typeof CHOICES} */ (pointer)];
      input = h('select', {}, choices.map(([v, text]) => h('option', { value: v }, text)));
      /** @type {HTMLSelectElement} */ (input).value = String(value ?? choices[0][0]);
    } else {
      input = h('input', { type: 'number', step: kind === 'int' ? 1 : 'any', value: String(value ?? ''),
        placeholder: kind === 'optional' ? 'none' : null });
    }
    const box = h('div', { class: kind === 'bool' ? 'field check' : 'field', 'data-field': toPath(pointer) },
      kind === 'bool' ? h('label', {}, input, ` ${label}`) : h('label', {}, label, input),
      h('div', { class: 'field-error' }));
    return { pointer, kind, input, box };
  };
  const common = FIELDS.map(field);
  const lead = [...LEAD_FIELDS, ...grades].map(field);
  const qualification = QUALIFICATION_FIELDS.map(field);
  const inputs = [...common, ...lead, ...qualification];

  // The checklist: existing items keep their ids (registrations confirm them
  // by id); a new item's id is made from its label until it is saved.
  /** @typedef {{ id: string | null, input: HTMLInputElement, box: HTMLElement }} ItemRow */
  /** @type {ItemRow[]} */
  const items = [];
  const itemList = h('ol', { class: 'checklist-items' });
  const itemsBox = h('div', { class: 'field', 'data-field': '$.qualification.items' },
    h('span', { class: 'label' }, 'Checklist items the partner confirms'), itemList, h('div', { class: 'field-error' }));
  const renumber = () => items.forEach((row, i) => {
    row.box.setAttribute('data-field', `$.qualification.items[${i}].label`);
    row.input.setAttribute('aria-label', `Checklist item ${i + 1}`);
    /** @type {HTMLElement} */ (row.box.querySelector('button')).setAttribute('aria-label', `Remove checklist item ${i + 1}`);
  });
  /** @param {string | null} id @param {string} label */
  const addItem = (id, label) => {
    const input = h('input', { type: 'text', value: label, placeholder: 'What the partner confirms' });
    const remove = h('button', { type: 'button', class: 'small' }, 'Remove');
    const box = h('li', { class: 'field checklist-item' },
      h('div', { class: 'row' }, input, remove), h('div', { class: 'field-error' }));
    const row = { id, input, box };
    remove.addEventListener('click', () => {
      items.splice(items.indexOf(row), 1);
      box.remove();
      renumber();
      syncJson();
    });
    input.addEventListener('input', syncJson);
    items.push(row);
    itemList.append(box);
    renumber();
    return row;
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
  const addButton = h('button', { type: 'button', class: 'small', onclick: () => {
    addItem(null, '').input.focus();
    syncJson();
  } }, 'Add checklist item');

  // Partners who sign their submissions: their public keys (the partner desk shows it).
  const keyInputs = programme.partners.map((partner, idx) => {
    const input = h('input', { type: 'text', spellcheck: 'false', class: 'mono', placeholder: 'none: submissions are read unsigned',
      value: partner.signingKey ?? '', 'aria-label': `Signing key of ${partner.name}` });
    const box = h('div', { class: 'field', 'data-field': `$.partners[${idx}].signingKey` },
      h('label', {}, partner.name, input), h('div', { class: 'field-error' }));
    return { idx, input, box };
  });

  // Form edits go into the JSON, so what is saved is what the JSON shows.
  const syncJson = () => {
    let doc;
    try {
      doc = JSON.parse(raw.value);
    } catch {
      return; // the JSON box has its own error on saving
    }
    for (const { pointer, kind, input } of inputs) {
      const el = /** @type {HTMLInputElement} */ (input);
      let value;
      if (kind === 'bool') value = el.checked;
      else if (kind === 'choice') value = el.value;
      else if (kind === 'optional' && el.value === '') value = undefined;
      else value = el.value === '' ? null : Number(el.value);
      put(doc, pointer, value);
    }
    const ids = itemIds();
    doc.qualification.items = items.map((row, i) => ({ id: ids[i], label: row.input.value.trim() }));
    for (const { idx, input } of keyInputs) {
      const partner = doc.partners?.[idx];
      if (!partner) continue;
      const key = /** @type {HTMLInputElement} */ (input).value.trim();
      if (key) partner.signingKey = key;
      else delete partner.signingKey;
    }
    raw.value = JSON.stringify(doc, null, 2);
  };
  for (const item of programme.qualification?.items ?? []) addItem(item.id, item.label);
  for (const { input } of [...inputs, ...keyInputs]) {
    input.addEventListener('input', syncJson);
    input.addEventListener('change', syncJson);
  }

  const save = async () => {
    const boxes = [...inputs, ...keyInputs, ...items, { box: itemsBox }];
    for (const { box } of boxes) {
      box.classList.remove('invalid');
      /** @type {HTMLElement} */ (box.querySelector('.field-error')).textContent = '';
    }
    problems.replaceChildren();
    const failure = await saveText(raw.value);
    if (!failure) {
      // Saved: new items keep the ids they were saved with.
      const ids = itemIds();
      items.forEach((row, i) => { row.id = ids[i]; });
      return; // the caller shows what follows
    }
    const list = failure.problems.length ? failure.problems : [{ path: '$', message: failure.message }];
    for (const p of list) {
      // An item's id is made from its label: its problem shows beside the label.
      const path = p.path.replace(/^(\$\.qualification\.items\[\d+\])\.id$/, '$1.label');
      const field = boxes.find(({ box }) => box.getAttribute('data-field') === path);
      if (field) {
        field.box.classList.add('invalid');
        /** @type {HTMLElement} */ (field.box.querySelector('.field-error')).textContent = p.message;
      }
      problems.append(h('li', {}, h('code', {}, p.path), ' ', p.message));
    }
  };

  return h('div', { class: 'programme-edit' },
    h('div', { class: 'editor' },
      h('div', {},
        h('fieldset', {}, h('legend', {}, 'Common settings'), common.map(({ box }) => box)),
        h('fieldset', {}, h('legend', {}, 'Leads'),
          h('p', { class: 'muted small' }, 'Fit rules and points per activity are in the JSON, under leadScoring.'),
          lead.map(({ box }) => box)),
        h('fieldset', { class: 'qualification' }, h('legend', {}, 'Qualification and pricing'),
          h('p', { class: 'muted small' }, 'What a partner confirms to show the deal is real, how much of it approval and an extension need, and the largest extra discount a special price may grant.'),
          itemsBox, h('div', { class: 'toolbar' }, addButton),
          qualification.map(({ box }) => box)),
        h('fieldset', { class: 'keys' }, h('legend', {}, 'Partners who sign their submissions'),
          h('p', { class: 'muted small' }, 'Paste the public key a partner\'s desk shows under Files, Signing key. Its submissions are then refused unless signed with it.'),
          keyInputs.map(({ box }) => box))),
      h('div', {}, h('label', { class: 'label' }, 'The whole programme (JSON)'), raw)),
    h('div', { class: 'actions' }, h('button', { class: 'primary', onclick: save }, saveLabel),
      h('a', { href: 'schemas/programme.schema.json', download: true }, 'JSON Schema')),
    problems);
}
