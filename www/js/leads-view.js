// @ts-check
/**
 * The lead inboxes. The vendor's lists every lead with its score, to filter
 * and sort; imports CSV or JSON lead files through a column mapping with a
 * preview; routes one lead (showing every candidate) or all waiting ones;
 * recalls lapsed offers and idle leads; and shows the scoring model with its
 * calibration. The partner's shows offers to accept or decline, what is due
 * today, and each lead's page to log activities, plan the next touch, set the
 * status and convert a qualified lead into a registration.
 */
import * as desk from './desk.js';
import { h, mount, tablePager } from './dom.js';
import { byText, money, partnerName, today } from './format.js';
import { formDialog, notify, progressDialog, showFailure } from './messages.js';

/**
 * @typedef {import('./desk.js').Workspace} Workspace
 * @typedef {import('../pkg/dealreg.js').Lead} Lead
 * @typedef {import('./desk.js').LeadInsight} LeadInsight
 * @typedef {import('./desk.js').LeadImportOptions} LeadImportOptions
 * @typedef {import('./desk.js').LeadImportPreview} LeadImportPreview
 * @typedef {import('./desk.js').LeadImport} LeadImport
 * @typedef {import('./views.js').Actions} Actions
 */

export const LEAD_STATUS = {
  new: 'New', working: 'Working', nurturing: 'Nurturing', qualified: 'Qualified', converted: 'Converted', disqualified: 'Disqualified',
};
const ACTIVITY = { emailOpened: 'E-mail opened', visit: 'Web visit', webinar: 'Webinar', demoRequest: 'Demo request', call: 'Call' };
const METHOD = { weightedByTier: 'weighted by tier', roundRobin: 'round robin', leastLoaded: 'least loaded' };
const TIMING = { thisQuarter: 'this quarter', nextQuarter: 'next quarter', thisYear: 'this year', later: 'later' };

/** @param {Lead} l */
const isOpen = (l) => l.status !== 'converted' && l.status !== 'disqualified';

/** @param {Lead} l */
function offerState(l) {
  if (!l.assignedTo) return null;
  return l.offer?.state ?? 'accepted';
}

/** @param {string} status */
function leadBadge(status) {
  return h('span', { class: `badge badge-lead-${status}` }, /** @type {Record<string, string>} */ (LEAD_STATUS)[status] ?? status);
}

/** @param {{ score: { score: number, grade: string | null } } | undefined} insight */
function scoreCell(insight) {
  if (!insight) return '—';
  const { score, grade } = insight.score;
  return h('span', { class: 'score' }, h('strong', {}, score.toFixed(1)),
    grade ? h('span', { class: `badge grade grade-${grade.toLowerCase()}` }, grade) : null);
}

/** Leads past which the inbox scores them in a task of its own. */
const BIG_INBOX = 5000;

/**
 * What the inbox shows of each lead, by id, from the desk's figures (a
 * score, a grade, flags: no words, so 50,000 leads take milliseconds).
 * @param {Workspace} ws
 * @param {import('../pkg/dealreg.js').LeadMarks | undefined} [marks]
 * @returns {Map<string, { score: { score: number, grade: string | null }, offerOverdue: boolean, idle: boolean, due: boolean, daysUntouched: number }>}
 */
function insightsOf(ws, marks = desk.leadMarks()) {
  const grades = ws.programme?.leadScoring?.grades ?? [];
  return new Map(marks ? ws.leads.map((l, i) => [l.id, {
    score: { score: marks.score[i], grade: grades[marks.grade[i] - 1]?.name ?? null },
    offerOverdue: (marks.flags[i] & 1) !== 0,
    idle: (marks.flags[i] & 2) !== 0,
    due: (marks.flags[i] & 4) !== 0,
    daysUntouched: marks.daysUntouched[i],
  }]) : []);
}

/** @param {string} iso */
const when = (iso) => iso.slice(0, 16).replace('T', ' ');

/**
 * Where a lead stands with partners, in a few words.
 * @param {Workspace} ws
 * @param {Lead} l
 * @param {{ offerOverdue: boolean, idle: boolean, daysUntouched: number } | undefined} insight
 */
function assignment(ws, l, insight) {
  const state = offerState(l);
  if (!l.assignedTo) {
    return h('span', { class: 'muted' }, isOpen(l) ? 'waiting for a partner' : '—',
      l.declinedBy?.length ? h('div', { class: 'small' }, `declined by ${l.declinedBy.join(', ')}`) : null);
  }
  const flag = insight?.offerOverdue ? h('span', { class: 'badge badge-rejected' }, 'not accepted in time')
    : insight?.idle ? h('span', { class: 'badge badge-inReview' }, `idle ${insight.daysUntouched} days`) : null;
  // A partner's own desk: its name on every row would say nothing.
  const who = ws.role?.kind === 'vendor' ? h('div', {}, partnerName(ws, l.assignedTo)) : null;
  return h('span', {}, who, h('div', { class: who ? 'muted small' : '' }, state, ' ', flag));
}

/** Lead filters and sorting shared by both inboxes. */
function filters() {
  const search = h('input', { type: 'search', placeholder: 'Company, contact or id', 'aria-label': 'Search leads' });
  const status = h('select', { 'aria-label': 'Lead status' }, h('option', { value: 'open' }, 'Open leads'), h('option', { value: '' }, 'Every status'),
    Object.entries(LEAD_STATUS).map(([value, label]) => h('option', { value }, label)));
  const grade = h('select', { 'aria-label': 'Grade' }, h('option', { value: '' }, 'Every grade'));
  const sort = h('select', { 'aria-label': 'Sort by' },
    h('option', { value: 'score' }, 'Highest score first'), h('option', { value: 'newest' }, 'Newest first'),
    h('option', { value: 'untouched' }, 'Longest untouched first'));
  return { search, status, grade, sort };
}

/**
 * @param {Workspace} ws
 * @param {Actions} actions
 * @param {HTMLElement} csv the CSV export control
 */
export function leadInbox(ws, actions, csv) {
  const isVendor = ws.role?.kind === 'vendor';
  const programme = /** @type {NonNullable<Workspace['programme']>} */ (ws.programme);
  /** Filled by `complete`. */
  let insights = /** @type {ReturnType<typeof insightsOf>} */ (new Map());
  const campaign = (/** @type {string} */ id) => ws.campaigns.find((c) => c.id === id)?.name ?? id;
  const f = filters();
  for (const g of programme.leadScoring?.grades ?? []) f.grade.append(h('option', { value: g.name }, g.name));
  f.grade.append(h('option', { value: '-' }, 'No grade'));
  const who = h('select', { 'aria-label': 'Assignment' }, h('option', { value: '' }, isVendor ? 'With anyone' : 'Every lead'),
    isVendor ? h('option', { value: 'waiting' }, 'Waiting for a partner') : null,
    h('option', { value: 'offered' }, 'Offered, not answered'), h('option', { value: 'accepted' }, 'Accepted'),
    h('option', { value: 'flagged' }, 'Not accepted in time or idle'), h('option', { value: 'due' }, 'Due today'));
  const campaigns = h('select', { 'aria-label': 'Campaign' }, h('option', { value: '' }, 'Every campaign'),
    ws.campaigns.map((c) => h('option', { value: c.id }, c.name)));
  const count = h('span', { class: 'muted' });
  const tbody = h('tbody');

  // A page of rows at a time, as the registrations: a campaign import brings thousands.
  const pager = tablePager(200, () => fill());
  const fill = () => {
    const q = f.search.value.trim().toLowerCase();
    const matching = ws.leads.filter((l) => {
      const i = insights.get(l.id);
      const state = offerState(l);
      return (f.status.value === 'open' ? isOpen(l) : !f.status.value || l.status === f.status.value) &&
        (!f.grade.value || (f.grade.value === '-' ? !i?.score.grade : i?.score.grade === f.grade.value)) &&
        (!campaigns.value || l.campaignId === campaigns.value) &&
        (!who.value || (who.value === 'waiting' ? !l.assignedTo && isOpen(l)
          : who.value === 'flagged' ? i?.offerOverdue || i?.idle
            : who.value === 'due' ? i?.due : state === who.value)) &&
        (!q || [l.id, l.company, l.contactName, l.email ?? ''].some((s) => s.toLowerCase().includes(q)));
    });
    const score = (/** @type {Lead} */ l) => insights.get(l.id)?.score.score ?? 0;
    const key = f.sort.value;
    matching.sort((a, b) => key === 'newest' ? byText(b.createdAt, a.createdAt)
      : key === 'untouched' ? (insights.get(b.id)?.daysUntouched ?? 0) - (insights.get(a.id)?.daysUntouched ?? 0)
        : score(b) - score(a) || byText(a.id, b.id));
    const shown = matching.slice(0, pager.limit);
    tbody.replaceChildren(...shown.map((l) => {
      const i = insights.get(l.id);
      return h('tr', { 'data-id': l.id },
        h('td', { class: 'num' }, scoreCell(i)),
        h('td', {}, h('a', { href: `#leads/${encodeURIComponent(l.id)}` }, l.company),
          h('div', { class: 'muted small' }, [l.id, l.industry, l.productLine].filter(Boolean).join(' · ')),
          l.duplicateOf ? h('div', { class: 'small warn' }, `duplicate of ${l.duplicateOf}?`) : null),
        h('td', {}, l.country, l.region ? h('div', { class: 'muted small' }, l.region) : null),
        h('td', {}, campaign(l.campaignId)),
        h('td', {}, leadBadge(l.status), i?.due ? h('div', { class: 'small warn' }, `touch due ${l.nextTouch}`) : null),
        h('td', {}, assignment(ws, l, i)),
        h('td', {}, rowAction(ws, l, actions)));
    }));
    count.textContent = `${matching.length} of ${ws.leads.length}`;
    pager.update(shown.length, matching.length);
  };
  const refill = () => { pager.reset(); fill(); };
  for (const el of [f.search, f.status, f.grade, f.sort, who, campaigns]) el.addEventListener(el === f.search ? 'input' : 'change', refill);

  const waiting = ws.leads.filter((l) => !l.assignedTo && isOpen(l)).length;
  const offers = ws.leads.filter((l) => offerState(l) === 'offered');
  const recallLapsedButton = h('button', { id: 'recall-lapsed', disabled: true }, 'Recall offers not accepted in time');
  const queues = h('div');
  // The scores, the rows and what follows from the flags: at once on a
  // small desk; in a task of their own on a big one, so drawing the page
  // and scoring 50,000 leads are never one long task.
  /** @param {import('../pkg/dealreg.js').LeadMarks | undefined} [marks] */
  const complete = (marks) => {
    insights = insightsOf(ws, marks);
    fill();
    const lapsed = [...insights.values()].filter((i) => i.offerOverdue).length;
    recallLapsedButton.disabled = lapsed === 0;
    recallLapsedButton.textContent = `Recall ${lapsed} offers not accepted in time`;
    recallLapsedButton.onclick = () => recallLapsed(lapsed);
    if (!isVendor) queues.replaceWith(partnerQueues(ws, offers, ws.leads.filter((l) => insights.get(l.id)?.due)));
  };
  if (ws.leads.length > BIG_INBOX) {
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, `Scoring ${ws.leads.length} leads…`)));
    // Scoring, then the rows, each a task of its own.
    setTimeout(() => {
      const marks = desk.leadMarks();
      setTimeout(() => complete(marks));
    });
  }
  const picker = h('input', { type: 'file', accept: '.csv,.txt,.json,text/csv,application/json', id: 'lead-file', class: 'visually-hidden' });
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (file) importLeadFile(file);
  });
  const routing = programme.leadRouting;
  const view = h('section', {},
    h('header', { class: 'area-head' }, h('h1', {}, 'Leads'),
      h('p', { class: 'lead' }, isVendor
        ? `Leads from your campaigns, scored by the programme's model. Routing: ${METHOD[routing?.method ?? 'weightedByTier']}; partners have ${routing?.acceptWithinHours ?? 72} hours to accept an offer.`
        : 'Leads the vendor offered you. Accept or decline each offer, work the ones you accepted, and convert the qualified ones into registrations.')),
    isVendor
      ? h('div', { class: 'toolbar' },
        h('label', { class: 'button primary', for: 'lead-file' }, 'Import leads (CSV or JSON)'), picker,
        h('button', { id: 'route-all', disabled: waiting === 0, onclick: () => routeAll(waiting) }, `Route ${waiting} waiting`),
        recallLapsedButton)
      : queues,
    h('div', { class: 'toolbar' }, f.search, f.status, f.grade, who, campaigns, f.sort, count, csv),
    h('div', { class: 'table-wrap' }, h('table', { class: 'leads' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Score'), h('th', {}, 'Company'), h('th', {}, 'Where'), h('th', {}, 'Campaign'),
        h('th', {}, 'Status'), h('th', {}, isVendor ? 'Partner' : 'Offer'), h('th', {}, h('span', { class: 'visually-hidden' }, 'Actions')))),
      tbody)),
    pager.button,
    isVendor ? scoringPanel(ws) : null);
  if (ws.leads.length <= BIG_INBOX) complete(desk.leadMarks());
  return view;
}

/**
 * The partner's offers to answer and its leads due today.
 * @param {Workspace} ws
 * @param {Lead[]} offers
 * @param {Lead[]} due
 */
function partnerQueues(ws, offers, due) {
  return h('div', { class: 'queues' },
    h('div', { class: 'card' }, h('h2', {}, `Offers to answer (${offers.length})`),
      offers.length === 0 ? h('p', { class: 'muted' }, 'No offer waits for your answer.')
        : h('ul', { class: 'plain' }, offers.map((l) => h('li', { 'data-offer': l.id },
          h('a', { href: `#leads/${encodeURIComponent(l.id)}` }, l.company), ` (${l.country}), offered ${when(l.offer?.offeredAt ?? '')} `,
          answerButtons(l))))),
    h('div', { class: 'card' }, h('h2', {}, `Due today (${due.length})`),
      due.length === 0 ? h('p', { class: 'muted' }, 'Nothing is due.')
        : h('ul', { class: 'plain' }, due.map((l) => h('li', {},
          h('a', { href: `#leads/${encodeURIComponent(l.id)}` }, l.company), ` next touch ${l.nextTouch}, ${LEAD_STATUS[l.status]}`)))));
}

/** @param {Lead} l */
function answerButtons(l) {
  return h('span', { class: 'inline-actions' },
    h('button', { class: 'primary small', onclick: () => answer(l, true) }, 'Accept'),
    h('button', { class: 'small', onclick: () => answer(l, false) }, 'Decline'));
}

/**
 * @param {Lead} l
 * @param {boolean} accept
 */
async function answer(l, accept) {
  let reason = '';
  if (!accept) {
    const input = h('input', { type: 'text', id: 'decline-reason', 'aria-label': 'Why decline', placeholder: 'Outside our region, no capacity, ...' });
    if (!(await formDialog(`Decline ${l.company}?`, 'The vendor offers it to another partner, and never to you again. Say why.', 'Decline the lead', [input]))) return;
    reason = input.value;
  }
  if (await desk.change(accept ? `Accepting ${l.id}` : `Declining ${l.id}`, { type: 'answerLead', id: l.id, accept, reason })) {
    notify(accept ? `${l.company} accepted: it is yours to work.` : `${l.company} declined: send your submission file so the vendor knows.`);
  }
}

/**
 * The action of a row: route or recall (vendor), answer (partner).
 * @param {Workspace} ws
 * @param {Lead} l
 * @param {Actions} actions
 */
function rowAction(ws, l, actions) {
  if (ws.role?.kind === 'partner') return offerState(l) === 'offered' ? answerButtons(l) : null;
  if (!isOpen(l)) return null;
  if (!l.assignedTo) return h('button', { class: 'small', onclick: () => routeDialog(ws, l.id) }, 'Route…');
  return h('button', { class: 'small', onclick: () => recall(ws, l) }, 'Recall');
}

/** @param {number} waiting */
async function routeAll(waiting) {
  if (await desk.change('Routing the waiting leads', { type: 'routeAll' })) {
    const detail = desk.state().audit.at(-1)?.detail ?? '';
    notify(`${waiting} waiting leads routed: ${detail.split(':')[0]}.`);
  }
}

/** @param {number} lapsed */
async function recallLapsed(lapsed) {
  if (await desk.change('Recalling offers not accepted in time', { type: 'recallOverdue' })) {
    notify(`${lapsed} offers lapsed; their leads were routed again where a partner is eligible.`);
  }
}

/** @param {Workspace} ws @param {Lead} l */
async function recall(ws, l) {
  const input = h('input', { type: 'text', 'aria-label': 'Why recall', placeholder: 'Idle for weeks, ...' });
  if (!(await formDialog(`Recall ${l.company} from ${partnerName(ws, l.assignedTo ?? '')}?`,
    'The lead comes back to you, to route again. The partner sees it gone with your next decision file.', 'Recall the lead', [input]))) return;
  if (await desk.change(`Recalling ${l.id}`, { type: 'recallLead', id: l.id, reason: input.value })) notify(`${l.company} recalled.`);
}

/**
 * Shows where routing would send the lead, every candidate with its weight
 * or why it is not eligible, and offers the lead if the vendor agrees.
 * @param {Workspace} ws
 * @param {string} id
 */
async function routeDialog(ws, id) {
  const routing = desk.routing(id);
  if (!routing) return;
  const table = h('table', { class: 'candidates' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Partner'), h('th', {}, 'Eligible'), h('th', { class: 'num' }, 'Weight'),
      h('th', { class: 'num' }, 'Chance'), h('th', { class: 'num' }, 'Open leads'))),
    h('tbody', {}, routing.candidates.map((c) => h('tr', { class: c.partnerId === routing.chosen ? 'chosen' : '' },
      h('td', {}, partnerName(ws, c.partnerId), c.partnerId === routing.chosen ? h('strong', {}, ' ← chosen') : null),
      h('td', {}, c.eligible ? 'yes' : h('span', { class: 'muted' }, c.reasons.join('; '))),
      h('td', { class: 'num' }, String(c.weight)),
      h('td', { class: 'num' }, c.eligible ? `${Math.round(c.chance * 100)}%` : '—'),
      h('td', { class: 'num' }, `${c.load} of ${c.capacity}`)))));
  if (!routing.chosen) {
    await formDialog('No partner can take this lead', routing.why, 'Close', [table], true);
    return;
  }
  if (!(await formDialog(`Offer to ${partnerName(ws, routing.chosen)}?`, `By ${METHOD[routing.method]}: ${routing.why}.`, `Offer to ${partnerName(ws, routing.chosen)}`, [table]))) return;
  if (await desk.change(`Routing ${id}`, { type: 'routeLead', id })) notify(`Offered to ${partnerName(ws, routing.chosen)}: it travels in their next decision file.`);
}

/**
 * The import dialog: the file's columns mapped to lead fields (the suggested
 * mapping first), a campaign for rows that name none, a preview of the first
 * rows and every problem by line and column, then all or nothing, or the good
 * rows only if the vendor chooses to skip the bad ones.
 * @param {File} file
 */
export async function importLeadFile(file) {
  // Read, checked and imported in the worker, on a copy of the desk: a file
  // of 50,000 rows never stops the page.
  const job = new desk.Job(`Importing leads from ${file.name}`);
  const progress = progressDialog(`Reading ${file.name}`, () => job.cancel());
  /** @type {LeadImportOptions} */
  const options = { mapping: null, campaignId: null, skipBadRows: false };
  progress.say(`Checking its rows against the ${desk.overview().leads} leads you have…`);
  const first = (await job.open()) ? await job.run('previewLeadImport', file, options, desk.now()) : undefined;
  progress.close();
  if (!first || job.cancelled) return;
  if ('failure' in first) {
    showFailure(first.failure);
    return;
  }
  /** @type {LeadImportPreview} */
  let preview = first.value;
  options.mapping = { ...preview.mapping };
  const campaigns = desk.overview().campaigns;
  const selects = preview.fields.map((field) => {
    const select = h('select', { id: `map-${field.name}`, 'data-field': field.name },
      h('option', { value: '' }, field.required ? '— choose a column —' : '— not in the file —'),
      preview.columns.map((c) => h('option', { value: c, selected: options.mapping?.[field.name] === c }, c)));
    return { field, select };
  });
  const campaign = h('select', { id: 'map-default-campaign' }, h('option', { value: '' }, '— none —'),
    campaigns.map((c) => h('option', { value: c.id }, `${c.name} (${c.id})`)));
  const skip = h('input', { type: 'checkbox', id: 'skip-bad-rows' });
  const report = h('div', { class: 'import-report', 'aria-live': 'polite' });
  const go = h('button', { class: 'primary', id: 'import-leads-go', type: 'button' }, 'Import');
  const sample = h('div', { class: 'table-wrap sample' });

  /** @param {LeadImportPreview} [shown] the preview already made for these options */
  const refresh = async (shown) => {
    options.mapping = Object.fromEntries(selects.filter((s) => s.select.value).map((s) => [s.field.name, s.select.value]));
    options.campaignId = campaign.value || null;
    options.skipBadRows = skip.checked;
    if (!shown) {
      go.disabled = true;
      report.replaceChildren(h('p', { class: 'muted' }, 'Checking the rows again…'));
    }
    const result = shown ? { value: shown } : await job.run('previewLeadImport', file, options, desk.now());
    if ('failure' in result) {
      report.replaceChildren(h('p', { class: 'bad' }, result.failure.message));
      go.disabled = true;
      return;
    }
    preview = result.value;
    sample.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, preview.columns.map((c) => h('th', {}, c)))),
      h('tbody', {}, preview.sample.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell)))))));
    const badLines = new Set(preview.problems.map((p) => p.line)).size;
    mount(report,
      preview.mappingProblems.length
        ? h('ul', { class: 'problems' }, preview.mappingProblems.map((p) => h('li', {}, h('code', {}, p.path), ' ', p.message)))
        : h('p', {}, h('strong', {}, `${preview.ready} of ${preview.rows} rows ready.`),
          badLines ? ` ${badLines} row${badLines === 1 ? ' has' : 's have'} problems:` : ' No problems.'),
      preview.problems.length
        ? h('ul', { class: 'problems', id: 'row-problems' }, preview.problems.slice(0, 50).map((p) =>
          h('li', {}, h('code', {}, `line ${p.line}${p.column ? `, ${p.column}` : ''}`), ' ', p.message)))
        : null,
      preview.problems.length > 50 ? h('p', { class: 'muted' }, `and ${preview.problems.length - 50} more`) : null,
      preview.duplicates.length
        ? h('div', {}, h('p', {}, `${preview.duplicates.length} may be leads you already have (flagged, still imported):`),
          h('ul', { class: 'plain small' }, preview.duplicates.slice(0, 20).map((d) =>
            h('li', {}, `line ${d.line}: ${d.company} looks like ${d.of} ${d.ofCompany} (${d.score.toFixed(2)})`))))
        : null);
    const blocked = preview.mappingProblems.length > 0 || preview.ready === 0 || (preview.problems.length > 0 && !skip.checked);
    go.disabled = blocked;
    go.textContent = `Import ${preview.ready} lead${preview.ready === 1 ? '' : 's'}`;
  };
  for (const { select } of selects) select.addEventListener('change', () => refresh());
  campaign.addEventListener('change', () => refresh());
  skip.addEventListener('change', () => refresh());

  const dialog = h('dialog', { class: 'dialog wide', id: 'lead-import' },
    h('h2', {}, `Import leads from ${file.name}`),
    h('p', {}, `${preview.rows} rows, ${preview.columns.length} columns. Check which column holds each field.`),
    h('div', { class: 'mapping' }, selects.map(({ field, select }) => h('div', { class: 'field' },
      h('label', { for: select.id }, field.label, field.required ? ' *' : ''), select))),
    h('div', { class: 'field' }, h('label', { for: campaign.id }, 'Campaign of rows that name none'), campaign),
    sample, report,
    h('label', { class: 'check' }, skip, ' Skip the rows with problems and import the rest'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'), go));
  let importing = false;
  go.addEventListener('click', async () => {
    importing = true;
    dialog.close();
    const saving = progressDialog(`Importing leads from ${file.name}`, () => job.cancel());
    saving.say(`Importing ${preview.ready} leads…`);
    const result = await job.run('importLeads', file, options, desk.now());
    if ('failure' in result) {
      saving.close();
      if (!job.cancelled) showFailure(result.failure);
      return;
    }
    const adopted = await job.adopt((n, total) => saving.say(`Saving the desk: part ${n} of ${total}…`, n, total));
    saving.close();
    if (!adopted) return;
    /** @type {LeadImport} */
    const done = result.value;
    const skipped = new Set(done.skipped.map((p) => p.line)).size;
    notify(`${done.added.length} leads imported from ${file.name}${skipped ? `, ${skipped} bad rows skipped` : ''}${done.duplicates.length ? `, ${done.duplicates.length} flagged as possible duplicates` : ''}.`);
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (!importing) job.cancel();
  });
  document.body.appendChild(dialog);
  refresh(preview);
  dialog.showModal();
}

/**
 * The programme's scoring model, and what the desk's history says of it.
 * @param {Workspace} ws
 */
function scoringPanel(ws) {
  const model = ws.programme?.leadScoring;
  const body = h('div');
  const panel = h('details', { class: 'card scoring', id: 'scoring-panel' },
    h('summary', {}, h('strong', {}, 'Scoring model and calibration')), body);
  // Calibrating reads every lead: only when someone opens the panel.
  panel.addEventListener('toggle', () => {
    if (!panel.open || body.childElementCount) return;
    const c = desk.calibration();
    const auc = (/** @type {number | null} */ x) => (x === null ? 'not measurable' : x.toFixed(3));
    mount(body,
      model ? h('div', { class: 'model' },
        h('h3', {}, 'The programme\'s model'),
        h('ul', { class: 'plain' }, model.fit.map((r) => h('li', {}, `${r.points > 0 ? '+' : ''}${r.points} if ${r.attribute}${r.values?.length ? ` is ${r.values.join(' or ')}` : ''}${r.min !== undefined ? ` from ${r.min}` : ''}${r.max !== undefined ? ` up to ${r.max}` : ''}`))),
        h('p', {}, 'Engagement: ', Object.entries(model.engagement.points).map(([k, v]) => `${/** @type {Record<string, string>} */ (ACTIVITY)[k] ?? k} ${v}`).join(', '),
          `; at most ${model.engagement.dailyCap} a day, halved every ${model.engagement.halfLifeDays} days.`),
        h('p', {}, 'Grades: ', model.grades.map((g) => `${g.name} from ${g.minScore}`).join(', '), '.')) : null,
      c ? h('div', { class: 'calibration' },
        h('h3', {}, 'Calibration on this desk\'s history'),
        h('p', {}, `${c.won} won and ${c.lost} lost leads. Weights learned (naive Bayes) from ${c.trainedOn}; both models ranked the other ${c.testedOn}, held out:`),
        h('table', { class: 'auc' }, h('thead', {}, h('tr', {}, h('th', {}, 'Model'), h('th', { class: 'num' }, 'AUC on held-out leads'))),
          h('tbody', {},
            h('tr', {}, h('td', {}, 'Learned from history'), h('td', { class: 'num', id: 'auc-learned' }, auc(c.learnedAuc))),
            h('tr', {}, h('td', {}, 'The programme\'s hand-written model'), h('td', { class: 'num', id: 'auc-programme' }, auc(c.programmeAuc))))),
        h('p', { class: 'muted small' }, 'AUC is the chance that a won lead ranks above a lost one: 0.5 is a coin, 1 is perfect.'),
        c.note ? h('p', { class: 'warn' }, c.note) : null,
        h('h3', {}, 'What the history says counts most'),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Value'), h('th', { class: 'num' }, 'Weight (log-odds)'), h('th', { class: 'num' }, 'Won'), h('th', { class: 'num' }, 'Lost'))),
          h('tbody', {}, c.weights.slice(0, 12).map((w) => h('tr', {}, h('td', {}, w.attribute), h('td', {}, w.value),
            h('td', { class: 'num' }, w.weight.toFixed(2)), h('td', { class: 'num' }, String(w.won)), h('td', { class: 'num' }, String(w.lost))))))) : null);
  });
  return panel;
}

/**
 * One lead: its profile, score with every contribution, the offer and its
 * history, activities, and what this desk may do with it.
 * @param {Workspace} ws
 * @param {string} id
 */
export function leadPage(ws, id) {
  const l = ws.leads.find((x) => x.id === id);
  if (!l) return h('section', {}, h('h1', {}, 'Lead'), h('p', { class: 'empty' }, `There is no lead ${id} on this desk.`), h('a', { href: '#leads' }, 'All leads'));
  const insight = desk.leadInsight(id);
  const isVendor = ws.role?.kind === 'vendor';
  const state = offerState(l);
  const mine = isVendor ? !l.assignedTo : state === 'accepted';
  const currency = ws.programme?.currency ?? '';
  /** @param {[string, string | Node | null | undefined][]} pairs */
  const facts = (pairs) => h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const campaign = ws.campaigns.find((c) => c.id === l.campaignId);
  return h('section', { class: 'lead-page' },
    h('header', { class: 'area-head' }, h('p', {}, h('a', { href: '#leads' }, '← All leads')),
      h('h1', {}, l.company, ' ', leadBadge(l.status)),
      h('p', { class: 'lead mono' }, l.id),
      !isVendor && l.status === 'qualified' && state === 'accepted'
        ? h('div', { class: 'actions' }, h('a', { class: 'button primary', id: 'convert-lead', href: `#register/lead:${encodeURIComponent(l.id)}` }, 'Convert into a registration'))
        : null,
      !isVendor && isOpen(l) && l.status !== 'qualified' && state === 'accepted'
        ? h('p', { class: 'muted' }, 'Mark the lead qualified (Status, below) to convert it into a registration.') : null),
    h('div', { class: 'columns' },
      h('div', {},
        facts([
          ['Contact', l.contactName], ['E-mail', l.email ?? ''], ['Web', l.domain ?? ''],
          ['Country', [l.country, l.region].filter(Boolean).join(', ')], ['Industry', l.industry ?? ''],
          ['Employees', l.employees === null ? '' : String(l.employees)], ['Budget', l.budget === null ? '' : money(l.budget, currency)],
          ['Timing', l.timing ? /** @type {Record<string, string>} */ (TIMING)[l.timing] : ''], ['Need', l.need ?? ''],
          ['Product line', l.productLine ?? ''], ['Campaign', campaign?.name ?? l.campaignId], ['Created', when(l.createdAt)],
          ['Status note', l.statusReason ?? ''], ['Next touch', l.nextTouch ?? ''],
          ['Duplicate of', l.duplicateOf ? h('a', { href: `#leads/${encodeURIComponent(l.duplicateOf)}` }, l.duplicateOf) : null],
          ['Registration', l.registrationId ? h('a', { href: `#registrations/${encodeURIComponent(l.registrationId)}` }, l.registrationId) : null],
        ]),
        h('h2', {}, 'Offer'),
        l.assignedTo
          ? facts([['Partner', partnerName(ws, l.assignedTo)], ['State', state ?? ''], ['Offered', l.offer ? when(l.offer.offeredAt) : 'before offers were kept'],
            ['Answered', l.offer?.answeredAt ? when(l.offer.answeredAt) : ''], ['How it was routed', l.offer?.why ?? ''], ['Reason', l.offer?.reason ?? '']])
          : h('p', { class: 'muted' }, 'With no partner.', l.declinedBy?.length ? ` Declined or let lapse by ${l.declinedBy.join(', ')}.` : ''),
        isVendor && isOpen(l)
          ? h('div', { class: 'actions' }, l.assignedTo ? h('button', { onclick: () => recall(ws, l) }, 'Recall') : h('button', { class: 'primary', onclick: () => routeDialog(ws, l.id) }, 'Route…'))
          : null,
        !isVendor && state === 'offered' ? h('div', { class: 'actions' }, answerButtons(l)) : null),
      h('div', {},
        h('h2', {}, 'Score ', insight ? scoreCell(insight) : null),
        insight ? h('table', { class: 'contributions' }, h('tbody', {}, insight.score.contributions.map((c) =>
          h('tr', {}, h('td', {}, c.signal), h('td', { class: 'muted' }, c.kind), h('td', { class: 'num' }, `${c.points > 0 ? '+' : ''}${c.points}`))))) : null,
        insight && insight.score.contributions.length === 0 ? h('p', { class: 'muted' }, 'Nothing scores yet.') : null)),
    h('h2', {}, 'Activities'),
    l.activities.length === 0 ? h('p', { class: 'muted' }, 'None yet.')
      : h('ol', { class: 'events' }, [...l.activities].reverse().map((a) => h('li', {}, h('time', { datetime: a.at }, when(a.at)), ' ',
        h('strong', {}, /** @type {Record<string, string>} */ (ACTIVITY)[a.kind] ?? a.kind), a.note ? ` ${a.note}` : ''))),
    mine && isOpen(l) ? workForms(l) : null);
}

/**
 * Logging an activity, planning the next touch, and setting the status.
 * @param {Lead} l
 */
function workForms(l) {
  const kind = h('select', { id: 'activity-kind' }, Object.entries(ACTIVITY).map(([value, label]) => h('option', { value }, label)));
  const at = h('input', { type: 'datetime-local', id: 'activity-at', value: new Date().toISOString().slice(0, 16), max: new Date().toISOString().slice(0, 16) });
  const note = h('input', { type: 'text', id: 'activity-note', placeholder: 'What happened' });
  const touch = h('input', { type: 'date', id: 'next-touch', value: l.nextTouch ?? '', min: today() });
  const status = h('select', { id: 'lead-status' }, ['new', 'working', 'nurturing', 'qualified', 'disqualified'].map((s) =>
    h('option', { value: s, selected: s === l.status }, /** @type {Record<string, string>} */ (LEAD_STATUS)[s])));
  const reason = h('input', { type: 'text', id: 'status-reason', placeholder: 'Why (needed to disqualify)', value: l.statusReason ?? '' });
  return h('div', { class: 'work' },
    h('form', { class: 'card', id: 'log-activity', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      const activity = { kind: /** @type {any} */ (kind.value), at: new Date(`${at.value}Z`).toISOString(), note: note.value || null };
      if (await desk.change(`Logging an activity on ${l.id}`, { type: 'logActivity', id: l.id, activity })) notify('Activity logged.');
    } },
    h('h3', {}, 'Log an activity'),
    h('div', { class: 'row' }, h('label', {}, 'What', kind), h('label', {}, 'When (UTC)', at), h('label', { class: 'grow' }, 'Note', note)),
    h('button', { class: 'primary' }, 'Log activity')),
    h('form', { class: 'card', id: 'plan-touch', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      if (await desk.change(`Planning ${l.id}`, { type: 'setNextTouch', id: l.id, date: touch.value || null })) notify(touch.value ? `Next touch ${touch.value}.` : 'Next touch cleared.');
    } },
    h('h3', {}, 'Next touch'),
    h('div', { class: 'row' }, h('label', {}, 'Day', touch)),
    h('button', {}, 'Save')),
    h('form', { class: 'card', id: 'set-status', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      if (await desk.change(`Setting the status of ${l.id}`, { type: 'setLeadStatus', id: l.id, status: /** @type {any} */ (status.value), reason: reason.value })) {
        notify(`${l.company} is ${status.value} now.`);
      }
    } },
    h('h3', {}, 'Status'),
    h('div', { class: 'row' }, h('label', {}, 'Status', status), h('label', { class: 'grow' }, 'Reason', reason)),
    h('button', {}, 'Save status')));
}
