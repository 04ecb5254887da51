// @ts-check
/**
 * Shows an evaluation: the outcome, then every rule in the decision order with
 * what was found and, where it failed, what would have passed. Used by the
 * partner's live preview, the vendor's review queue and a registration's page.
 */
import { h } from './dom.js';
import { money } from './format.js';

/**
 * @typedef {import('../pkg/dealreg.js').Decision} Decision
 * @typedef {import('../pkg/dealreg.js').Finding} Finding
 * @typedef {import('../pkg/dealreg.js').Match} Match
 */

const OUTCOME = {
  approved: ['approved', 'Would be approved', 'ok'],
  inReview: ['review', 'Would go to review', 'warn'],
  rejected: ['rejected', 'Would be rejected', 'bad'],
};
const CHECK = {
  passed: ['✓', 'passed'],
  failed: ['✗', 'failed'],
  review: ['!', 'sent to review'],
  notApplicable: ['–', 'not applicable'],
};

/**
 * The evidence of a match, signal by signal, behind a disclosure.
 * @param {Match} match
 * @param {string} [label]
 */
export function evidenceView(match, label = 'Evidence') {
  return h('details', { class: 'evidence' },
    h('summary', {}, `${label}: score ${match.score.toFixed(2)}, ${match.verdict}`),
    h('table', { class: 'signals' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Signal'), h('th', { class: 'num' }, 'Value'), h('th', { class: 'num' }, 'Weight'), h('th', {}, 'What was compared'))),
      h('tbody', {}, match.evidence.map((s) => h('tr', {},
        h('td', {}, s.signal), h('td', { class: 'num' }, s.value.toFixed(2)), h('td', { class: 'num' }, s.weight.toFixed(2)), h('td', {}, s.detail))))));
}

/**
 * Registrations of the same customer found by the evaluation, with evidence.
 * @param {Finding[]} findings
 * @param {string} whose "Your" or "Another partner's"
 * @param {(id: string) => string} partnerName
 */
function findingsView(findings, whose, partnerName) {
  return findings.map((f) => h('div', { class: `finding finding-${f.match.verdict}`, 'data-finding': f.registrationId },
    h('div', {},
      h('strong', {}, `${whose === 'own' ? 'Your registration' : partnerName(f.partnerId)} ${f.registrationId}`), ': ',
      f.customer, ' ',
      h('span', { class: `badge badge-match-${f.match.verdict}` }, f.match.verdict === 'same' ? 'same customer' : 'possibly the same customer'),
      f.protectedUntil && f.held ? h('span', { class: 'muted small' }, ` protected until ${f.protectedUntil}`) : null),
    evidenceView(f.match)));
}

/**
 * @param {Decision} decision
 * @param {{ prospective?: boolean, partnerName?: (id: string) => string }} [options] `prospective`: a preview of what would
 *   happen; otherwise the rules' verdict on a registration, which the vendor may overrule
 */
export function decisionView(decision, { prospective = false, partnerName = (id) => id } = {}) {
  const [label, wouldBe, tone] = OUTCOME[decision.outcome];
  const cur = decision.currency;
  const facts = [];
  if (decision.protectedUntil) facts.push(`${decision.outcome === 'approved' ? 'Protected' : 'If approved, protected'} until ${decision.protectedUntil}`);
  if (decision.reviewDue) facts.push(`review due by ${decision.reviewDue}`);
  if (decision.incentive) facts.push(`incentive ${money(decision.incentive.cost, cur)}${decision.incentive.share < 1 ? ` (× ${decision.incentive.share})` : ''}`);
  // A partner's desk knows no budget: the vendor checks it on receipt.
  if (decision.budget) facts.push(`budget left ${money(decision.budget.left, cur)} of ${money(decision.budget.total, cur)}`);
  return h('div', { class: `decision decision-${tone}`, 'data-outcome': decision.outcome },
    h('div', { class: 'decision-head' },
      h('span', { class: `outcome outcome-${tone}` }, prospective ? wouldBe : `The rules say: ${label}`),
      h('span', { class: 'decision-summary' }, decision.summary)),
    h('p', { class: 'muted small' }, facts.join(' · ')),
    h('ol', { class: 'rules' }, decision.rules.map((r) => {
      const [icon, said] = CHECK[r.check];
      return h('li', { class: `rule rule-${r.check}`, 'data-rule': r.rule },
        h('span', { class: 'rule-icon', 'aria-label': said, title: said }, icon),
        h('span', { class: 'rule-body' },
          h('strong', {}, r.title), ' ', h('span', {}, r.detail),
          r.wouldPass ? h('span', { class: 'would-pass' }, `Would pass: ${r.wouldPass}.`) : null));
    })),
    decision.duplicates.length || decision.conflicts.length
      ? h('div', { class: 'findings' }, h('h3', {}, 'The same customer, already registered'),
        findingsView(decision.duplicates, 'own', partnerName), findingsView(decision.conflicts, 'other', partnerName))
      : null);
}
