//! Trust between desks: a partner's file touches only that partner's records,
//! ids never collide, and a decision lands only on the deal it decides.

use dealreg::registration::{Draft, Status};
use dealreg::workspace::{Change, Desk, MemoryStorage, Role};
use dealreg::Error;
use serde_json::{json, Value};

use super::signed_files::{desk, t};

const NORDLYS: &str = "p-nordlys";
const LAGOM: &str = "p-lagom";

fn partner(id: &str) -> Desk<MemoryStorage> {
    desk(Role::Partner { partner_id: id.into() })
}

fn draft(customer: &str) -> Draft {
    serde_json::from_value(json!({
        "partnerId": "",
        "customer": { "name": customer, "country": "NO", "domain": "fjordbris.example" },
        "products": [{ "sku": "NX-SW24", "quantity": 3 }],
        "value": 9000.0, "currency": "EUR", "expectedClose": "2027-02-01", "stage": "price",
        "qualification": ["budget", "decisionMaker", "need", "timeline"]
    }))
    .unwrap()
}

/// Registers and submits a deal on a partner desk; its id.
fn register(desk: &mut Desk<MemoryStorage>, customer: &str, at: &str) -> String {
    desk.apply(Change::Register { draft: draft(customer), submit: true, random: super::random() }, t(at))
        .unwrap();
    desk.workspace().registrations.last().unwrap().id.clone()
}

fn paths(error: &Error) -> Vec<String> {
    error.problems().iter().map(|p| p.path.clone()).collect()
}

/// A partner's submission as JSON, to be edited as a hostile partner would.
fn submission_of(desk: &Desk<MemoryStorage>, at: &str) -> Value {
    serde_json::from_str(&desk.export_submission(t(at)).unwrap()).unwrap()
}

#[test]
fn a_partners_file_cannot_withdraw_another_partners_deal() {
    let mut vendor = desk(Role::Vendor);
    let target = vendor.workspace().registration("R-0053").unwrap().clone();
    assert!(target.partner_id == NORDLYS && target.status.is_protected(), "{target:?}");
    let before = vendor.export_backup();

    // Lagom sends a well-formed file holding Nordlys's approved deal as its own, withdrawn.
    let rival = partner(LAGOM);
    let mut file = submission_of(&rival, "05T09:00:00");
    let mut forged = serde_json::to_value(&target).unwrap();
    forged["partnerId"] = LAGOM.into();
    forged["status"] = "withdrawn".into();
    forged["revision"] = 99.into();
    forged["notes"] = "withdrawn by the customer".into();
    file["registrations"].as_array_mut().unwrap().push(forged);
    let at = file["registrations"].as_array().unwrap().len() - 1;

    let error = vendor.import_submission(&file.to_string(), t("05T10:00:00")).unwrap_err();
    assert_eq!(paths(&error), [format!("$.registrations[{at}].id")]);
    let message = error.to_string();
    assert!(
        message.contains("R-0053 is a registration of Nordlys IT AS, not of the sender Lagom"),
        "{message}"
    );
    assert_eq!(vendor.export_backup(), before, "nothing of the file is read");
}

#[test]
fn a_partner_cannot_take_an_id_named_after_another_partner() {
    let mut vendor = desk(Role::Vendor);
    let before = vendor.export_backup();
    let mut rival = partner(LAGOM);
    let own = register(&mut rival, "Fjordbris Maskin AS", "05T09:00:00");
    let mut file = submission_of(&rival, "05T09:01:00");
    let record = file["registrations"].as_array_mut().unwrap().last_mut().unwrap();
    assert_eq!(record["id"], own.as_str());
    // The id a Nordlys desk counted for its next draft, before ids were random.
    record["id"] = "p-nordlys-R0031".into();
    let error = vendor.import_submission(&file.to_string(), t("05T10:00:00")).unwrap_err();
    assert!(error.to_string().contains("p-nordlys-R0031 is named after Nordlys IT AS"), "{error}");
    assert_eq!(vendor.export_backup(), before);
    // The same record under its own name goes in.
    let file = submission_of(&rival, "05T09:02:00");
    let report = vendor.import_submission(&file.to_string(), t("05T10:00:00")).unwrap();
    assert!(report.added.contains(&own), "{report:?}");
}

#[test]
fn two_desks_of_one_partner_and_a_desk_started_again_never_issue_the_same_id() {
    let mut first = partner(NORDLYS);
    let mut second = partner(NORDLYS);
    let a = register(&mut first, "Fjordbris Maskin AS", "05T09:00:00");
    let b = register(&mut second, "Hardanger Kraft AS", "05T09:00:00");
    first.apply(Change::Reset, t("05T09:10:00")).unwrap();
    assert!(first.workspace().registrations.is_empty());
    // An empty desk holds no programme: adopt the demo's again, then register.
    let mut first = partner(NORDLYS);
    let c = register(&mut first, "Sognefjord Tre AS", "05T09:20:00");
    assert!(a != b && b != c && a != c, "{a} {b} {c}");
    for id in [&a, &b, &c] {
        assert!(id.starts_with("p-nordlys-") && id.len() == "p-nordlys-".len() + 26, "{id}");
    }
}

/// A partner desk whose one registration's id is replaced with `id` (as a
/// desk counting ids would have named it), through its own backup.
fn with_legacy_id(desk: &mut Desk<MemoryStorage>, from: &str, id: &str) {
    let backup = desk.export_backup().replace(&format!("\"{from}\""), &format!("\"{id}\""));
    desk.import_backup(&backup).unwrap();
}

#[test]
fn a_decision_lands_only_on_the_deal_it_decides() {
    let legacy = "p-nordlys-R0900";
    // Desk one registers Fjordbris; its id is the one a counting desk would have given.
    let mut one = partner(NORDLYS);
    let id = register(&mut one, "Fjordbris Maskin AS", "05T09:00:00");
    with_legacy_id(&mut one, &id, legacy);
    let mut vendor = desk(Role::Vendor);
    vendor.import_submission(&one.export_submission(t("05T09:05:00")).unwrap(), t("05T10:00:00")).unwrap();
    assert_eq!(vendor.workspace().registration(legacy).unwrap().status, Status::Approved);
    let decisions = vendor.export_decisions(NORDLYS, t("05T11:00:00")).unwrap();

    // Desk two (the same partner's, started again) counted the same id for another deal.
    let mut two = partner(NORDLYS);
    let other = register(&mut two, "Hardanger Kraft AS", "06T09:00:00");
    with_legacy_id(&mut two, &other, legacy);
    let mine = two.workspace().registration(legacy).unwrap().clone();
    let report = two.import_decisions(&decisions, t("06T10:00:00")).unwrap();
    let refused: Vec<&str> = report.refused.iter().map(|p| p.message.as_str()).collect();
    assert!(
        refused.iter().any(|m| m.contains(&format!("decision on {legacy} is for another deal"))
            && m.contains("Hardanger Kraft AS")),
        "{refused:?}"
    );
    assert_eq!(two.workspace().registration(legacy).unwrap(), &mine, "the decision did not land");
    assert!(!report.updated.contains(&legacy.to_string()));

    // Sent to the vendor, the second deal is not taken for the first: the file is refused, and says why.
    let before = vendor.export_backup();
    let error = vendor.import_submission(&two.export_submission(t("06T10:05:00")).unwrap(), t("06T11:00:00"));
    let error = error.unwrap_err();
    assert!(error.to_string().contains("two deals met on one id"), "{error}");
    assert!(error.to_string().contains("Hardanger Kraft AS"), "{error}");
    assert_eq!(vendor.export_backup(), before);

    // Desk one reads its own decision as before.
    let report = one.import_decisions(&decisions, t("05T12:00:00")).unwrap();
    assert!(report.updated.contains(&legacy.to_string()), "{report:?}");
    assert_eq!(one.workspace().registration(legacy).unwrap().status, Status::Approved);
}

mod trusted_key {
    //! The vendor key a partner desk trusts is kept beside the desk and
    //! changes only by the partner's choice.
    use super::*;
    use dealreg::signing::TRUST_STORAGE;
    use dealreg::workspace::Storage as _;

    /// A vendor desk with a key, and a partner desk that adopted its signed programme.
    fn signed_pair(seed: u8) -> (Desk<MemoryStorage>, Desk<MemoryStorage>) {
        let mut vendor = desk(Role::Vendor);
        vendor.create_key(&[seed; 32], t("03T09:00:00")).unwrap();
        let mut partner = partner(NORDLYS);
        partner.adopt_programme(&vendor.export_programme().unwrap(), t("03T10:00:00")).unwrap();
        (vendor, partner)
    }

    fn kept(desk: &Desk<MemoryStorage>) -> Option<String> {
        desk.storage().get(TRUST_STORAGE).unwrap()
    }

    /// The vendor's decision file for Nordlys, made to say what a forger wants, without a signature.
    fn forged_decisions(vendor: &Desk<MemoryStorage>) -> String {
        let text = vendor.export_decisions(NORDLYS, t("05T09:00:00")).unwrap();
        let body = dealreg::signing::open(&text, dealreg::files::DECISION_KIND).unwrap().body;
        let mut file: Value = serde_json::from_str(&body).unwrap();
        file["leads"] = json!([]); // every lead recalled
        file.to_string()
    }

    #[test]
    fn loading_the_demo_restoring_a_backup_or_starting_over_keeps_the_trusted_key() {
        let (vendor, mut partner) = signed_pair(7);
        let key = vendor.public_key().unwrap();
        assert_eq!(partner.trusted().unwrap().vendor_key, key);
        let anchor = kept(&partner).expect("kept beside the desk");

        // A rival's backup whose programme names another key (or none), and the demo.
        let (rival, _) = signed_pair(8);
        let mut foreign: Value = serde_json::from_str(&partner.export_backup()).unwrap();
        foreign["programme"]["vendorKey"] = rival.public_key().unwrap().into();
        partner.import_backup(&foreign.to_string()).unwrap();
        assert_eq!(kept(&partner), Some(anchor.clone()));
        let dataset = include_str!("../../www/demo/dataset.json");
        partner
            .load_dataset(include_str!("../../www/demo/programme.json"), dataset, t("05T08:00:00"))
            .unwrap();
        assert_eq!(partner.workspace().programme.as_ref().unwrap().vendor_key, None);
        assert_eq!(kept(&partner), Some(anchor.clone()));

        // Nothing unsigned, or signed by another key, is read from the vendor now.
        let before = partner.export_backup();
        let error = partner.import_decisions(&forged_decisions(&vendor), t("05T10:00:00")).unwrap_err();
        assert!(error.to_string().contains("$.signature: is missing"), "{error}");
        let error = partner
            .import_decisions(&rival.export_decisions(NORDLYS, t("05T09:00:00")).unwrap(), t("05T10:00:00"))
            .unwrap_err();
        assert!(error.to_string().contains("$.signature.key"), "{error}");
        let error = partner.programme_update(&rival.export_programme().unwrap()).unwrap_err();
        assert!(error.to_string().contains("$.signature.key"), "{error}");
        assert_eq!(partner.export_backup(), before);

        // Starting over, and a desk opened again, keep it too.
        partner.apply(Change::Reset, t("05T11:00:00")).unwrap();
        let reopened = Desk::open(partner.storage().clone()).unwrap();
        assert_eq!(reopened.trusted().unwrap().vendor_key, key);
        assert_eq!(kept(&reopened), Some(anchor));
        // The genuine vendor's files are still read (the desk's own record of
        // the programme back first: a published programme names no partner).
        let mut partner = reopened;
        let role = Role::Partner { partner_id: NORDLYS.into() };
        partner.apply(Change::ChooseRole { role }, t("05T11:20:00")).unwrap();
        let dataset = include_str!("../../www/demo/dataset.json");
        partner
            .load_dataset(include_str!("../../www/demo/programme.json"), dataset, t("05T11:30:00"))
            .unwrap();
        partner.adopt_programme(&vendor.export_programme().unwrap(), t("05T12:00:00")).unwrap();
        let decisions = vendor.export_decisions(NORDLYS, t("05T12:00:00")).unwrap();
        partner.import_decisions(&decisions, t("05T12:01:00")).unwrap();
    }

    #[test]
    fn another_vendor_key_is_trusted_only_by_the_partners_choice() {
        let (vendor, mut partner) = signed_pair(7);
        let (moved, _) = signed_pair(9); // the vendor's new key, after a lost laptop, say
        let programme = moved.export_programme().unwrap();
        assert!(partner.adopt_programme(&programme, t("06T09:00:00")).is_err());

        let signer = partner.programme_signer(&programme).unwrap();
        assert_eq!(signer.current, vendor.public_key());
        assert_eq!(Some(signer.vendor_key.clone()), moved.public_key());
        assert_eq!(
            partner.trusted().unwrap().vendor_key,
            vendor.public_key().unwrap(),
            "asking changes nothing"
        );

        // A file signed by a key other than the one it names is not a key to trust.
        let text = programme.replace(&moved.public_key().unwrap(), &vendor.public_key().unwrap());
        assert!(partner.programme_signer(&text).is_err());
        assert!(partner.trust_key_of(&text, t("06T09:30:00")).is_err());

        partner.trust_key_of(&programme, t("06T10:00:00")).unwrap();
        assert_eq!(partner.trusted().unwrap().vendor_key, moved.public_key().unwrap());
        let event = partner.workspace().audit.last().unwrap();
        assert_eq!(event.action, "trustKey");
        assert!(event.detail.contains(&vendor.public_key().unwrap()), "the old key is on record: {event:?}");
        partner.adopt_programme(&programme, t("06T10:01:00")).unwrap();
        // The old key's files are refused from now on.
        let old = vendor.export_decisions(NORDLYS, t("06T11:00:00")).unwrap();
        assert!(partner.import_decisions(&old, t("06T11:01:00")).is_err());
    }

    #[test]
    fn a_desk_from_before_trust_anchors_trusts_the_key_its_programme_names() {
        let (vendor, partner) = signed_pair(7);
        let mut storage = partner.storage().clone();
        storage.remove(TRUST_STORAGE).unwrap();
        let reopened = Desk::open(storage).unwrap();
        assert_eq!(reopened.trusted().unwrap().vendor_key, vendor.public_key().unwrap());
        assert!(kept(&reopened).is_some());
        // A kept anchor that cannot be read stops files from the vendor, and says so.
        let mut storage = partner.storage().clone();
        storage.set(TRUST_STORAGE, "{ \"format\": \"dealreg.trust\" }").unwrap();
        let mut damaged = Desk::open(storage).unwrap();
        let decisions = vendor.export_decisions(NORDLYS, t("05T12:00:00")).unwrap();
        let error = damaged.import_decisions(&decisions, t("05T12:01:00")).unwrap_err();
        assert!(error.to_string().contains("cannot be read"), "{error}");
        damaged.trust_key_of(&vendor.export_programme().unwrap(), t("05T12:02:00")).unwrap();
        damaged.import_decisions(&decisions, t("05T12:03:00")).unwrap();
    }
}

mod invitations {
    //! A vendor invites its partners; a partner's desk is the invited one's,
    //! holds nothing of the others, and cannot pose as another.
    use super::*;

    /// A vendor desk with the demo and its signing key, where a lead of
    /// Nordlys's was offered by routing whose reason names its rival and one
    /// Lagom declined: what a partner must not learn.
    fn vendor() -> Desk<MemoryStorage> {
        let mut dataset: Value = serde_json::from_str(include_str!("../../www/demo/dataset.json")).unwrap();
        let leads = dataset["leads"].as_array_mut().unwrap();
        let lead = leads.iter_mut().find(|l| l["assignedTo"] == NORDLYS && l["offer"].is_object()).unwrap();
        lead["offer"]["why"] =
            "weighted by tier among p-nordlys 60%, p-lagom 40%; drew 0.213 → p-nordlys".into();
        lead["declinedBy"] = json!([LAGOM]);
        let mut vendor = Desk::open(MemoryStorage::default()).unwrap();
        vendor.apply(Change::ChooseRole { role: Role::Vendor }, t("02T09:00:00")).unwrap();
        vendor
            .load_dataset(
                include_str!("../../www/demo/programme.json"),
                &dataset.to_string(),
                t("02T09:01:00"),
            )
            .unwrap();
        vendor.create_key(&[7; 32], t("03T09:00:00")).unwrap();
        vendor
    }

    fn joined(invitation: &str, at: &str) -> Desk<MemoryStorage> {
        let mut desk = Desk::open(MemoryStorage::default()).unwrap();
        desk.join(invitation, t(at)).unwrap();
        desk
    }

    /// Everything a partner's desk keeps or sends, as text.
    fn everything(desk: &Desk<MemoryStorage>, at: &str) -> String {
        let mut all: Vec<String> = desk.storage().items.values().cloned().collect();
        all.push(desk.export_backup());
        all.push(desk.export_submission(t(at)).unwrap());
        all.push(desk.workspace().registrations_csv(false));
        all.push(desk.workspace().leads_csv(false));
        all.iter()
            .map(|text| dealreg::workspace::stored_document(text).unwrap_or_else(|_| text.clone()))
            .collect()
    }

    #[test]
    fn a_partner_joins_by_invitation_and_holds_nothing_of_the_others() {
        let mut vendor = vendor();
        let file = vendor.invite(NORDLYS, &[21; 32], t("03T10:00:00")).unwrap();
        let link = format!("https://vendor.example/deals/#join={}", dealreg::invitation::to_link(&file));
        let roster = vendor.workspace().programme.as_ref().unwrap().partner(NORDLYS).unwrap().clone();
        assert!(roster.signing_key.is_some(), "the roster names the key the invitation made");

        // From the link, on an empty desk, nothing chosen.
        let text = dealreg::invitation::from_link(&link).unwrap();
        let mut partner = joined(&text, "03T11:00:00");
        assert_eq!(partner.workspace().role, Some(Role::Partner { partner_id: NORDLYS.into() }));
        let programme = partner.workspace().programme.as_ref().unwrap();
        assert_eq!(programme.partners, std::slice::from_ref(&roster), "its own record only");
        assert_eq!(programme.incentive_budget, None, "the budget is the vendor's");
        assert_eq!(partner.trusted().unwrap().vendor_key, vendor.public_key().unwrap());
        assert_eq!(partner.public_key(), roster.signing_key);

        // It registers; the vendor reads its signed file.
        let id = register(&mut partner, "Fjordbris Maskin AS", "03T12:00:00");
        let submission = partner.export_submission(t("03T12:05:00")).unwrap();
        let report = vendor.import_submission(&submission, t("03T13:00:00")).unwrap();
        assert!(report.signed && report.added == [id.clone()], "{report:?}");
        let decisions = vendor.export_decisions(NORDLYS, t("03T14:00:00")).unwrap();
        partner.import_decisions(&decisions, t("03T14:05:00")).unwrap();
        assert!(!partner.workspace().leads.is_empty());

        // Not a word of the other partners, their tiers, capacities or keys, nor the budget.
        let others = vendor.workspace().programme.as_ref().unwrap().partners.clone();
        let text = everything(&partner, "03T15:00:00");
        for other in others.iter().filter(|p| p.id != NORDLYS) {
            assert!(
                !text.contains(&other.name) && !text.contains(&other.id),
                "{} is on Nordlys's desk",
                other.name
            );
        }
        assert!(!text.contains("incentiveBudget") && !text.contains("150000"), "the budget is on the desk");
        assert!(!text.contains("leadCapacity\":20"), "another partner's capacity is on the desk");
    }

    #[test]
    fn a_partner_cannot_pose_as_another() {
        let mut vendor = vendor();
        let nordlys = vendor.invite(NORDLYS, &[21; 32], t("03T10:00:00")).unwrap();
        let lagom = vendor.invite(LAGOM, &[22; 32], t("03T10:01:00")).unwrap();

        // An invitation edited to name another partner is refused.
        let posing = lagom.replace("\"id\": \"p-lagom\"", "\"id\": \"p-nordlys\"");
        assert_ne!(posing, lagom);
        let error =
            Desk::open(MemoryStorage::default()).unwrap().join(&posing, t("03T11:00:00")).unwrap_err();
        assert!(error.to_string().contains("$.signature"), "{error}");
        // A desk set up for one partner takes no invitation of another.
        let mut rival = joined(&lagom, "03T11:00:00");
        let error = rival.join(&nordlys, t("03T11:01:00")).unwrap_err();
        assert!(error.to_string().contains("this desk is Lagom Nätverk AB's already"), "{error}");
        // And says so before anything is asked: reading the invitation is refused alike.
        assert_eq!(rival.invitation(&nordlys).unwrap_err().to_string(), error.to_string());

        // Lagom's file that says it is Nordlys's is refused: Nordlys signs with its own key.
        register(&mut rival, "Fjordbris Maskin AS", "03T12:00:00");
        let file = rival.export_submission(t("03T12:05:00")).unwrap().replace("\"p-lagom", "\"p-nordlys");
        let before = vendor.export_backup();
        let error = vendor.import_submission(&file, t("03T13:00:00")).unwrap_err();
        assert!(error.to_string().contains("$.signature"), "{error}");
        assert_eq!(vendor.export_backup(), before);
    }

    #[test]
    fn a_new_tier_reaches_the_partner_and_a_new_invitation_retires_the_old_key() {
        let mut vendor = vendor();
        let mut partner =
            joined(&vendor.invite(NORDLYS, &[21; 32], t("03T10:00:00")).unwrap(), "03T11:00:00");
        // The vendor moves Nordlys to Gold, and the decision file says so, signed.
        let mut programme: Value =
            serde_json::to_value(vendor.workspace().programme.as_ref().unwrap()).unwrap();
        let at = programme["partners"].as_array().unwrap().iter().position(|p| p["id"] == NORDLYS).unwrap();
        programme["partners"][at]["tier"] = "gold".into();
        vendor.set_programme(&programme.to_string(), t("03T12:00:00")).unwrap();
        partner
            .import_decisions(&vendor.export_decisions(NORDLYS, t("03T12:30:00")).unwrap(), t("03T13:00:00"))
            .unwrap();
        assert_eq!(partner.workspace().programme.as_ref().unwrap().partner(NORDLYS).unwrap().tier, "gold");
        let event = partner.workspace().audit.last().unwrap();
        assert!(event.detail.contains("tier Platinum → Gold"), "{event:?}");

        // Invited again (a lost laptop): the old desk's files are refused.
        let again = vendor.invite(NORDLYS, &[23; 32], t("04T09:00:00")).unwrap();
        register(&mut partner, "Fjordbris Maskin AS", "04T10:00:00");
        let old = partner.export_submission(t("04T10:05:00")).unwrap();
        assert!(vendor.import_submission(&old, t("04T11:00:00")).is_err());
        let mut moved = joined(&again, "04T12:00:00");
        register(&mut moved, "Hardanger Kraft AS", "04T12:30:00");
        let report =
            vendor.import_submission(&moved.export_submission(t("04T12:35:00")).unwrap(), t("04T13:00:00"));
        assert!(report.unwrap().signed);
    }
}
