// @ts-check
/**
 * The lists a vendor keeps in a spreadsheet, read into its programme: a price
 * list (products, and their product lines), a partner list and a list of
 * named accounts. The core reads the CSV (`desk.readTable`); this module finds
 * the columns by their usual names and turns each row into a record. A file
 * with any bad row changes nothing: every problem is listed by line.
 *
 * Ids of new records are made from their names, here and when a record is
 * added by hand in the builder (`idFrom`).
 */

/** @typedef {import('./desk.js').Programme} Programme */
/** @typedef {import('./desk.js').TextTable} TextTable */
/** @typedef {import('./desk.js').Problem} Problem */

/**
 * An id from a name: lower-case letters and digits joined by hyphens, accents
 * dropped, after `prefix` ("p-" + "Nordlys IT AS" → "p-nordlys-it-as"), made
 * unique against `taken` with a number.
 * @param {string} name
 * @param {string} prefix
 * @param {Set<string>} taken
 */
export function idFrom(name, prefix, taken) {
  const words = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const base = prefix + (words.join('-').slice(0, 40).replace(/-$/, '') || 'new');
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** What each list is, the usual names of its columns, and how to read a row. */
export const LISTS = {
  products: {
    what: 'price list',
    columns: {
      sku: ['sku', 'product code', 'code', 'part number', 'item number', 'article'],
      name: ['name', 'product', 'product name', 'description'],
      line: ['product line', 'line', 'family', 'product family', 'category'],
      listPrice: ['list price', 'price', 'unit price', 'listprice'],
      registrable: ['registrable', 'can register', 'deal registration'],
    },
    required: ['sku', 'listPrice'],
  },
  partners: {
    what: 'partner list',
    columns: {
      name: ['name', 'partner', 'partner name', 'company', 'reseller'],
      tier: ['tier', 'level', 'partner tier'],
      countries: ['countries', 'country', 'territory', 'territories'],
      specialisations: ['specialisations', 'specializations', 'product lines', 'lines', 'specialties'],
      leadCapacity: ['lead capacity', 'capacity', 'leads'],
      status: ['status'],
    },
    required: ['name', 'tier'],
  },
  namedAccounts: {
    what: 'list of named accounts',
    columns: {
      name: ['name', 'account', 'company', 'customer'],
      domains: ['domains', 'domain', 'web domains', 'website'],
      country: ['country'],
    },
    required: ['name', 'country'],
  },
};

/** @typedef {keyof typeof LISTS} ListKind */

const norm = (/** @type {string} */ s) => s.trim().toLowerCase().replace(/[_\s]+/g, ' ');
/** Cells holding several values: "NO, SE" or "NO; SE" or "NO SE". */
const many = (/** @type {string} */ s) => s.split(/[,;/|]+|\s+/).map((x) => x.trim()).filter(Boolean);
const yes = new Set(['yes', 'y', 'true', '1', 'x', 'ja', 'oui', 'si', 'sí']);
const no = new Set(['no', 'n', 'false', '0', '', 'nei', 'nein', 'non']);

/**
 * A number as a spreadsheet writes it: "2,400.00", "2400", "2 400", "€2400".
 * Null when it is not one.
 * @param {string} cell
 */
function amount(cell) {
  const plain = cell.replace(/[\s\u00a0'€$£¥]|[A-Z]{3}/g, '');
  // "2.400,50": a comma after the last dot is the decimal mark.
  const decimal = plain.lastIndexOf(',') > plain.lastIndexOf('.') && /,\d{1,2}$/.test(plain)
    ? plain.replace(/\./g, '').replace(',', '.')
    : plain.replace(/,/g, '');
  return decimal !== '' && Number.isFinite(Number(decimal)) ? Number(decimal) : null;
}

/**
 * Reads a table into a copy of the programme: records are matched by SKU
 * (products) or by name, case aside (partners, named accounts); a matched
 * record is updated, another added.
 * @param {Programme} programme
 * @param {ListKind} kind
 * @param {TextTable} table
 * @returns {{ programme: Programme, added: string[], updated: string[], linesAdded: string[] } | { problems: Problem[] }}
 */
export function readList(programme, kind, table) {
  const list = LISTS[kind];
  const names = table.columns.map(norm);
  /** @type {Record<string, number>} */
  const at = {};
  for (const [field, usual] of Object.entries(list.columns)) {
    const i = names.findIndex((n) => usual.includes(n));
    if (i >= 0) at[field] = i;
  }
  /** @type {Problem[]} */
  const problems = list.required.filter((f) => !(f in at)).map((f) => ({
    path: 'line 1',
    message: `has no column for ${f === 'listPrice' ? 'the list price' : `the ${f}`} (one named ${/** @type {Record<string, string[]>} */ (list.columns)[f].slice(0, 3).map((n) => `“${n}”`).join(', ')})`,
  }));
  if (problems.length) return { problems };

  const copy = /** @type {Programme} */ (structuredClone(programme));
  /** @type {string[]} */ const added = [];
  /** @type {string[]} */ const updated = [];
  /** @type {string[]} */ const linesAdded = [];
  for (const [line, cells] of table.rows) {
    const cell = (/** @type {string} */ field) => (field in at ? cells[at[field]] ?? '' : '');
    const fail = (/** @type {string} */ message) => problems.push({ path: `line ${line}`, message });
    if (kind === 'products') {
      const sku = cell('sku');
      const price = amount(cell('listPrice'));
      if (!sku) { fail('has no SKU'); continue; }
      if (price === null || price < 0) { fail(`list price “${cell('listPrice')}” is not an amount`); continue; }
      const registrable = norm(cell('registrable'));
      if ('registrable' in at && !yes.has(registrable) && !no.has(registrable)) {
        fail(`registrable “${cell('registrable')}” is neither yes nor no`);
        continue;
      }
      const lineName = cell('line') || 'Products';
      let productLine = copy.productLines.find((l) => norm(l.name) === norm(lineName) || l.id === lineName);
      if (!productLine) {
        productLine = { id: idFrom(lineName, '', new Set(copy.productLines.map((l) => l.id))), name: lineName };
        copy.productLines.push(productLine);
        linesAdded.push(lineName);
      }
      const record = {
        sku, name: cell('name') || sku, line: productLine.id,
        registrable: 'registrable' in at ? yes.has(registrable) : true, listPrice: price,
      };
      const i = copy.products.findIndex((p) => p.sku === sku);
      if (i >= 0) { copy.products[i] = record; updated.push(sku); } else { copy.products.push(record); added.push(sku); }
    } else if (kind === 'partners') {
      const name = cell('name');
      if (!name) { fail('has no partner name'); continue; }
      const tierCell = cell('tier');
      const tier = copy.tiers.find((t) => norm(t.name) === norm(tierCell) || t.id === tierCell);
      if (!tier) { fail(`tier “${tierCell}” is not one of the programme's tiers (${copy.tiers.map((t) => t.name).join(', ')})`); continue; }
      const capacity = cell('leadCapacity') === '' ? 10 : Number(cell('leadCapacity'));
      if (!Number.isInteger(capacity) || capacity < 0) { fail(`lead capacity “${cell('leadCapacity')}” is not a whole number`); continue; }
      const status = norm(cell('status') || 'active');
      if (status !== 'active' && status !== 'suspended') { fail(`status “${cell('status')}” is neither active nor suspended`); continue; }
      const lines = many(cell('specialisations')).map((s) => copy.productLines.find((l) => norm(l.name) === norm(s) || l.id === s)?.id ?? s);
      const existing = (copy.partners ?? []).find((p) => norm(p.name) === norm(name));
      const record = {
        ...(existing ?? { id: idFrom(name, 'p-', new Set((copy.partners ?? []).map((p) => p.id))), certifications: [] }),
        name, tier: tier.id, countries: many(cell('countries')).map((c) => c.toUpperCase()),
        specialisations: lines, leadCapacity: capacity, status: /** @type {'active' | 'suspended'} */ (status),
      };
      copy.partners ??= [];
      if (existing) { copy.partners[copy.partners.indexOf(existing)] = record; updated.push(name); } else { copy.partners.push(record); added.push(name); }
    } else {
      const name = cell('name');
      if (!name) { fail('has no account name'); continue; }
      const record = { name, domains: many(cell('domains')).map((d) => d.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '')), country: cell('country').toUpperCase() };
      const i = copy.namedAccounts.findIndex((a) => norm(a.name) === norm(name));
      if (i >= 0) { copy.namedAccounts[i] = record; updated.push(name); } else { copy.namedAccounts.push(record); added.push(name); }
    }
  }
  return problems.length ? { problems } : { programme: copy, added, updated, linesAdded };
}
