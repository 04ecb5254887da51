// @ts-check
/**
 * Shows an evaluation: the outcome, then every rule in the decision order with
 * what was found and, where it failed, what would have passed. Used by the
 * partner's live preview, the vendor's review queue and a registration's page.
 */
import { h } from './dom.js';
import { money } from './format.js';

/** @typedef {import('../pkg/dealreg.js').Decision} Decision */

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
 * @param {Decision} decision
 * @param {{ prospective?: boolean }} [options] `prospective`: a preview of what would
 *   happen; otherwise the rules' verdict on a registration, which the vendor may overrule
 */
export function decisionView(decision, { prospective = false } = {}) {
  const [label, wouldBe, tone] = OUTCOME[decision.outcome];
  const cur = decision.currency;
  const facts = [];
  if (decision.protectedUntil) facts.push(`${decision.outcome === 'approved' ? 'Protected' : 'If approved, protected'} until ${decision.protectedUntil}`);
  if (decision.reviewDue) facts.push(`review due by ${decision.reviewDue}`);
  if (decision.incentive) facts.push(`incentive ${money(decision.incentive.cost, cur)}${decision.incentive.share < 1 ? ` (× ${decision.incentive.share})` : ''}`);
  facts.push(`budget left ${money(decision.budget.left, cur)} of ${money(decision.budget.total, cur)}`);
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
    })));
}
