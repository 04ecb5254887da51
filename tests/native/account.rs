//! Account work around a registration: the checklist and business case
//! travelling to the vendor, the account plan and answered requests coming
//! back signed, the lead priority on a routed lead, special prices (their
//! approval, budget and expiry), and the fair-pricing audit's flags.

use chrono::{Duration, NaiveDate};
use dealreg::account::{AccountPlan, BusinessCase, PlanStep, RequestDraft, RequestKind, RequestState};
use dealreg::decision::{Check, Rule};
use dealreg::leads::LeadStatus;
use dealreg::pricing::GrantKind;
use dealreg::registration::{Draft, Status};
use dealreg::reports::build_report;
use dealreg::workspace::{Change, Desk, MemoryStorage, Role};
use serde_json::json;

use super::leads::{desk_with_waiting as desk, WAITING};
use super::now;
use super::signed_files::t;

#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, dealreg::Error>) -> String {
    result.unwrap_err().to_string()
}

/// Vendor and partner desks, the vendor signing; the lead routed, accepted and qualified.
fn routed_pair() -> (Desk<MemoryStorage>, Desk<MemoryStorage>, String) {
    let mut vendor = desk(Role::Vendor);
    vendor.create_key(&[5; 32], t("02T09:02:00")).unwrap();
    vendor.apply(Change::RouteLead { id: WAITING.into() }, t("10T09:00:00")).unwrap();
    let chosen =
        vendor.workspace().leads.iter().find(|l| l.id == WAITING).unwrap().assigned_to.clone().unwrap();
    let mut partner = desk(Role::Partner { partner_id: chosen.clone() });
    partner.adopt_programme(&vendor.export_programme().unwrap(), t("10T09:01:00")).unwrap();
    partner
        .import_decisions(&vendor.export_decisions(&chosen, t("10T09:05:00")).unwrap(), t("10T09:10:00"))
        .unwrap();
    partner
        .apply(
            Change::AnswerLead { id: WAITING.into(), accept: true, reason: String::new() },
            t("10T10:00:00"),
        )
        .unwrap();
    partner
        .apply(
            Change::SetLeadStatus {
                id: WAITING.into(),
                status: LeadStatus::Qualified,
                reason: String::new(),
            },
            t("10T11:00:00"),
        )
        .unwrap();
    (vendor, partner, chosen)
}

fn converted_draft(partner: &Desk<MemoryStorage>, value: f64) -> Draft {
    let mut draft = partner.workspace().lead_draft(WAITING).unwrap();
    draft.products = vec![serde_json::from_value(json!({ "sku": "NX-SW48", "quantity": 10 })).unwrap()];
    draft.value = Some(value);
    draft.expected_close = NaiveDate::from_ymd_opt(2027, 3, 1);
    draft.qualification = vec!["budget".into(), "decisionMaker".into(), "need".into()];
    draft.business_case = Some(BusinessCase {
        problem: "Branch network fails weekly".into(),
        solution: "NX-SW48 in 10 branches".into(),
        value: "No outages <b>at all</b>".into(),
        competitors: "Incumbent".into(),
        decision_date: NaiveDate::from_ymd_opt(2027, 2, 1),
    });
    draft
}

#[test]
fn a_routed_lead_converted_is_approved_by_its_priority_and_its_special_price_comes_back_signed() {
    let (mut vendor, mut partner, chosen) = routed_pair();
    // 40,000 is above the demo's auto-approval limit (25,000), below the lead priority's (50,000).
    partner
        .apply(
            Change::Register {
                draft: converted_draft(&partner, 40_000.0),
                submit: true,
                random: super::random(),
            },
            t("11T09:00:00"),
        )
        .unwrap();
    let id = partner.workspace().registrations.last().unwrap().id.clone();
    vendor
        .import_submission(&partner.export_submission(t("11T09:30:00")).unwrap(), t("11T10:00:00"))
        .unwrap();
    let received = vendor.workspace().registration(&id).unwrap().clone();
    let decision = vendor.workspace().explain(&id, t("11T10:00:00")).unwrap();
    assert_eq!(received.status, Status::Approved, "{}", decision.summary);
    assert_eq!(received.business_case.as_ref().unwrap().value, "No outages <b>at all</b>", "kept as text");
    let decision = vendor.workspace().explain(&id, t("11T10:00:00")).unwrap();
    let rule = |r: Rule| decision.rules.iter().find(|x| x.rule == r).unwrap().clone();
    assert_eq!(rule(Rule::LeadAssignment).check, Check::Passed);
    assert!(rule(Rule::AutoApprove).detail.contains("for a lead the vendor routed to the partner (L-0102)"));
    assert_eq!(rule(Rule::Qualification).detail, "3 of 5 items confirmed; approval needs 3");
    let terms = received.terms.clone().unwrap();
    let tier = vendor.workspace().programme.as_ref().unwrap().partner(&chosen).unwrap().tier.clone();
    assert_eq!(terms.tier, tier);

    // The partner reads the approval, then asks for a special price.
    partner
        .import_decisions(&vendor.export_decisions(&chosen, t("11T11:00:00")).unwrap(), t("11T11:05:00"))
        .unwrap();
    let ask = |points: f64| RequestDraft {
        kind: RequestKind::SpecialPrice,
        note: "Competing bid 5% below ours".into(),
        extra_discount_points: Some(points),
        competing_offer: Some("Integrator X at -5%".into()),
    };
    assert!(refused(partner.apply(
        Change::RequestSupport {
            id: id.clone(),
            request: RequestDraft { extra_discount_points: None, ..ask(1.0) }
        },
        t("12T09:00:00")
    ))
    .contains("needs the extra discount"));
    partner.apply(Change::RequestSupport { id: id.clone(), request: ask(12.0) }, t("12T09:00:00")).unwrap();
    assert!(refused(
        partner.apply(Change::RequestSupport { id: id.clone(), request: ask(4.0) }, t("12T09:01:00"))
    )
    .contains("wait for the vendor's answer"));
    let report = vendor
        .import_submission(&partner.export_submission(t("12T09:30:00")).unwrap(), t("12T10:00:00"))
        .unwrap();
    assert_eq!(report.updated, std::slice::from_ref(&id));
    let q1 = format!("{id}-Q1");
    let answer = |approve: bool, reason: &str| Change::AnswerRequest {
        id: id.clone(),
        request: q1.clone(),
        approve,
        reason: reason.into(),
        expires_on: NaiveDate::from_ymd_opt(2027, 1, 31),
    };
    assert!(refused(vendor.apply(answer(true, " "), t("12T11:00:00"))).contains("reason"));
    assert!(refused(vendor.apply(answer(true, "Match the bid"), t("12T11:00:00"))).contains("at most 10"));
    vendor
        .apply(
            answer(false, "Twelve points is more than the programme grants; ask for up to 10"),
            t("12T11:00:00"),
        )
        .unwrap();

    partner
        .import_decisions(&vendor.export_decisions(&chosen, t("12T11:30:00")).unwrap(), t("12T11:35:00"))
        .unwrap();
    assert_eq!(partner.workspace().registration(&id).unwrap().requests[0].state, RequestState::Declined);
    partner.apply(Change::RequestSupport { id: id.clone(), request: ask(4.0) }, t("13T09:00:00")).unwrap();
    vendor
        .import_submission(&partner.export_submission(t("13T09:30:00")).unwrap(), t("13T10:00:00"))
        .unwrap();
    let before = vendor.workspace().committed(t("13T11:00:00"));
    let q2 = format!("{id}-Q2");
    vendor
        .apply(
            Change::AnswerRequest {
                id: id.clone(),
                request: q2.clone(),
                approve: true,
                reason: "Competitive displacement; matched to the documented bid".into(),
                expires_on: NaiveDate::from_ymd_opt(2027, 1, 31),
            },
            t("13T11:00:00"),
        )
        .unwrap();
    // 4 points of 40,000: 1,600 counted against the budget while it applies.
    let request = vendor.workspace().registration(&id).unwrap().requests[1].clone();
    assert_eq!((request.state, request.cost), (RequestState::Approved, Some(1600.0)));
    assert_eq!(vendor.workspace().committed(t("13T11:00:00")) - before, 1600.0);
    let expired = now("2027-02-01T00:00:00Z");
    let registration = vendor.workspace().registration(&id).unwrap();
    assert_eq!(
        registration.commitment(expired),
        registration.incentive.unwrap(),
        "released after it expires"
    );

    // The vendor's account plan and answers travel back in the signed decision file.
    let plan = AccountPlan {
        notes: "Joint account: vendor presales on the second workshop".into(),
        steps: vec![PlanStep {
            what: "Proof of concept".into(),
            owner: "vendor".into(),
            due: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
            done: false,
        }],
    };
    vendor.apply(Change::SetAccountPlan { id: id.clone(), plan: plan.clone() }, t("13T11:10:00")).unwrap();
    let file = vendor.export_decisions(&chosen, t("13T11:30:00")).unwrap();
    let forged = file.replace("\"cost\": 1600.0", "\"cost\": 1.0");
    assert!(forged != file, "the cost is in the file");
    assert!(partner.import_decisions(&forged, t("13T11:35:00")).is_err(), "an edited file is refused");
    let read = partner.import_decisions(&file, t("13T11:35:00")).unwrap();
    assert!(read.signed && read.updated == [id.clone()], "{read:?}");
    let mine = partner.workspace().registration(&id).unwrap();
    assert_eq!(mine.account_plan.as_ref(), Some(&plan));
    assert_eq!((mine.requests[1].state, mine.requests[1].cost), (RequestState::Approved, Some(1600.0)));

    // The audit lists it as justified, and does not flag the partner for it.
    let audit = build_report(vendor.workspace(), t("13T12:00:00")).unwrap().pricing;
    let special =
        audit.grants.iter().find(|g| g.registration_id == id && g.kind == GrantKind::SpecialPrice).unwrap();
    assert!(
        special.justified && special.points == 4.0 && special.reason.starts_with("Competitive displacement")
    );
    let row = audit.partners.iter().find(|p| p.partner_id == chosen).unwrap();
    assert!(row.reasoned_points > 0.0, "{row:?}");
    assert!(!row.flagged, "{row:?}");
}

#[test]
fn the_checklist_and_business_case_travel_to_the_vendor_and_gate_extensions() {
    let mut vendor = desk(Role::Vendor);
    let mut partner = desk(Role::Partner { partner_id: "p-nordlys".into() });
    let mut draft: Draft = serde_json::from_value(json!({
        "partnerId": "p-nordlys",
        "customer": { "name": "Fjellvann Kraft AS", "country": "NO", "domain": "fjellvann.example" },
        "products": [{ "sku": "NX-SW24", "quantity": 3 }],
        "value": 9000.0, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "price",
        "qualification": ["budget", "need"]
    }))
    .unwrap();
    let preview = partner.preview(&draft, t("10T09:00:00")).unwrap().decision.unwrap();
    assert_eq!(preview.first_failure, Some(Rule::Qualification));
    draft.qualification.push("nonsense".into());
    assert!(refused(partner.apply(
        Change::Register { draft: draft.clone(), submit: true, random: super::random() },
        t("10T09:00:00")
    ))
    .contains("is not an item of the programme's qualification checklist"));
    draft.qualification.pop();
    partner
        .apply(Change::Register { draft, submit: true, random: super::random() }, t("10T09:00:00"))
        .unwrap();
    let id = partner.workspace().registrations.last().unwrap().id.clone();
    vendor
        .import_submission(&partner.export_submission(t("10T09:30:00")).unwrap(), t("10T10:00:00"))
        .unwrap();
    assert_eq!(vendor.workspace().registration(&id).unwrap().status, Status::InReview, "2 of 3: review");

    // The partner confirms a third item and adds its case; the vendor reads both.
    let case = BusinessCase { problem: "Ageing core".into(), ..BusinessCase::default() };
    let qualify = |items: &[&str]| Change::Qualify {
        id: id.clone(),
        qualification: items.iter().map(|s| s.to_string()).collect(),
        business_case: Some(case.clone()),
    };
    partner.apply(qualify(&["budget", "need", "timeline"]), t("10T11:00:00")).unwrap();
    let report = vendor
        .import_submission(&partner.export_submission(t("10T11:30:00")).unwrap(), t("10T12:00:00"))
        .unwrap();
    assert_eq!(report.updated, std::slice::from_ref(&id));
    let seen = vendor.workspace().registration(&id).unwrap();
    assert_eq!((seen.qualification.len(), seen.business_case.as_ref()), (3, Some(&case)));
    assert_eq!(vendor.workspace().explain(&id, t("10T12:00:00")).unwrap().first_failure, None);
    vendor
        .apply(Change::Decide { id: id.clone(), approve: true, reason: "Qualified".into() }, t("10T12:05:00"))
        .unwrap();
    partner
        .import_decisions(&vendor.export_decisions("p-nordlys", t("10T12:10:00")).unwrap(), t("10T12:15:00"))
        .unwrap();

    // An extension needs 4 items; the refusal names the missing ones.
    let extend =
        || Change::RequestExtension { id: id.clone(), reason: "Board meets in March".into(), days: None };
    assert!(refused(partner.apply(extend(), t("11T09:00:00")))
        .contains("confirms 3 of the 4 qualification items an extension needs; not confirmed: Decision maker identified, Competition known"));
    partner.apply(qualify(&["budget", "need", "timeline", "competition"]), t("11T09:10:00")).unwrap();
    partner.apply(extend(), t("11T09:20:00")).unwrap();
}

#[test]
fn the_audit_flags_unreasoned_terms_and_not_reasoned_special_prices() {
    let mut vendor = desk(Role::Vendor);
    let at = t("20T12:00:00");
    let audit = build_report(vendor.workspace(), at).unwrap().pricing;
    let row = |id: &str| audit.partners.iter().find(|p| p.partner_id == id).unwrap().clone();
    // Tulip (Silver, 2 points) had two approvals at Gold terms (5 points), no reason recorded.
    let tulip = row("p-tulip");
    assert!(tulip.flagged, "{tulip:?}");
    assert!(tulip.why.contains("above the Silver tier's 2 without a recorded reason"), "{}", tulip.why);
    let unjustified: Vec<_> = audit.grants.iter().filter(|g| !g.justified).collect();
    assert_eq!(unjustified.len(), 2);
    assert!(unjustified.iter().all(
        |g| g.partner_id == "p-tulip" && g.reason.contains("Gold tier terms; the partner is now Silver")
    ));
    // Thames's special price has its reason: above its tier, not flagged.
    let thames = row("p-thames");
    assert!(thames.reasoned_points > 0.0 && thames.average_points > thames.tier_points, "{thames:?}");
    assert!(!thames.flagged, "{thames:?}");
    assert_eq!(audit.flagged, audit.partners.iter().filter(|p| p.flagged).count());
    assert!(audit.partners[0].flagged, "flagged partners come first");
    // Every partner's average is the value-weighted mean of its grants.
    for p in &audit.partners {
        let mine: Vec<_> = audit
            .grants
            .iter()
            .filter(|g| g.partner_id == p.partner_id && g.kind != GrantKind::SecondRegistrant)
            .collect();
        let value: f64 = mine.iter().filter(|g| g.kind == GrantKind::Tier).map(|g| g.value).sum();
        let mean: f64 = mine.iter().map(|g| g.points * g.value / value).sum();
        assert!((mean - p.average_points).abs() < 0.01, "{p:?}: {mean}");
    }
    // Within the tolerance nothing is flagged: widen it past Tulip's difference.
    let mut programme = vendor.workspace().programme.clone().unwrap();
    programme.pricing.audit_tolerance_points = tulip.unexplained_points + 0.01;
    vendor.set_programme(&serde_json::to_string(&programme).unwrap(), at).unwrap();
    let audit = build_report(vendor.workspace(), at).unwrap().pricing;
    assert_eq!(audit.flagged, 0);
    // The special price stops counting once it expires unused.
    let expires =
        audit.grants.iter().find(|g| g.kind == GrantKind::SpecialPrice).unwrap().expires_on.unwrap();
    let after = (expires + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap().and_utc();
    let funding = |at| build_report(vendor.workspace(), at).unwrap().incentives.by_kind[2].committed;
    assert!(funding(at) > 0.0 && funding(after) == 0.0);
}
