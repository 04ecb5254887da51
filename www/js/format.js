// @ts-check
/** Formatting shared by the views. */

/**
 * @param {number} value
 * @param {string} currency
 */
export function money(value, currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${Math.round(value).toLocaleString('en')} ${currency}`;
  }
}

/** Today as YYYY-MM-DD, in UTC like every date the core hands out. */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Whole days from `from` to `to` (YYYY-MM-DD).
 * @param {string} from
 * @param {string} to
 */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const STATUS_LABELS = {
  draft: 'Draft', submitted: 'Submitted', inReview: 'In review', approved: 'Approved', rejected: 'Rejected',
  extended: 'Extended', won: 'Won', lost: 'Lost', expired: 'Expired', withdrawn: 'Withdrawn',
};
export { STATUS_LABELS };

/** @param {string} status */
export function statusLabel(status) {
  return /** @type {Record<string, string>} */ (STATUS_LABELS)[status] ?? status;
}

/**
 * A partner's name in the desk's programme, or its id.
 * @param {import('./desk.js').Workspace} ws
 * @param {string} id
 */
export function partnerName(ws, id) {
  return ws.programme?.partners.find((p) => p.id === id)?.name ?? id;
}

/**
 * Orders two texts by their characters, as `sort` wants: for ids and ISO
 * times, where `localeCompare`'s rules change nothing and cost 20 times more
 * (sorting 50,000 leads by id took 200 ms with it).
 * @param {string} a
 * @param {string} b
 */
export function byText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
