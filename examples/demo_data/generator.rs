//! Deterministic demo data: a programme (3 tiers, 10 products in 3 lines, named
//! accounts, 90-day protection, a 5,000 minimum, 6 partners in 9 countries, a
//! lead scoring model), 60 registrations, 240 leads from 5 campaigns, and the
//! won or lost registrations the converted leads became. Several customers are registered by
//! more than one partner under different spellings ("Volvo Car Corporation",
//! "VOLVO CARS AB", volvocars.com), as partners really write them.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use dealreg::account::{AccountPlan, BusinessCase, PlanStep, RequestKind, RequestState, SupportRequest};
use dealreg::leads::routing::{LeadRouting, RoutingMethod};
use dealreg::leads::scoring::{ActivityPoints, Attribute, Engagement, FitRule, Grade, LeadScoring};
use dealreg::leads::{Activity, ActivityKind, Campaign, Lead, LeadStatus, Offer, OfferState, Timing};
use dealreg::programme::{
    ApprovalPolicy, ConflictPolicy, Eligibility, ExtensionPolicy, LeadPriority, MatchThresholds,
    NamedAccount, Partner, PartnerStatus, PricingPolicy, Product, ProductLine, Programme, Qualification,
    QualificationItem, RelatedCompanies, Tier, WhenShort,
};
use dealreg::registration::{Contact, Customer, DecisionNote, LineItem, Registration, Stage, Status, Terms};
use dealreg::workspace::Dataset;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const SEED: u64 = 2026;
const N_REGISTRATIONS: usize = 60;
const N_LEADS: usize = 240;

/// The two files, as pretty JSON with a final newline.
pub fn files(seed: u64) -> (String, String) {
    let (programme, dataset) = generate(seed);
    let pretty = |v: String| v + "\n";
    (
        pretty(serde_json::to_string_pretty(&programme).unwrap()),
        pretty(serde_json::to_string_pretty(&dataset).unwrap()),
    )
}

pub fn generate(seed: u64) -> (Programme, Dataset) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let programme = programme();
    let campaigns = campaigns();
    let registrations = registrations(&mut rng, &programme);
    let mut leads = leads(&mut rng, &programme, &campaigns);
    let mut registrations = registrations;
    registrations.extend(converted(&mut rng, &programme, &mut leads, N_REGISTRATIONS + 1));
    let next = registrations.len() + 1;
    registrations.extend(late_second_registrant(&programme, next));
    registrations.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    account_work(&programme, &mut registrations);
    let dataset = Dataset { format: "dealreg.dataset".into(), version: 3, registrations, leads, campaigns };
    (programme, dataset)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0).expect("valid time").and_utc()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn programme() -> Programme {
    let line = |id: &str, name: &str| ProductLine { id: id.into(), name: name.into() };
    let product = |sku: &str, name: &str, line: &str, registrable: bool, list_price: f64| Product {
        sku: sku.into(),
        name: name.into(),
        line: line.into(),
        registrable,
        list_price,
    };
    let tier = |id: &str, name: &str, points: f64, rebate: f64, bounty: f64, weight: f64| Tier {
        id: id.into(),
        name: name.into(),
        eligible: true,
        extra_discount_points: points,
        rebate_percent: rebate,
        bounty,
        lead_weight: weight,
    };
    let partner = |id: &str,
                   name: &str,
                   tier: &str,
                   countries: &[&str],
                   specs: &[&str],
                   certs: &[&str],
                   capacity: u32| {
        Partner {
            id: id.into(),
            name: name.into(),
            tier: tier.into(),
            countries: strings(countries),
            specialisations: strings(specs),
            certifications: strings(certs),
            lead_capacity: capacity,
            status: PartnerStatus::Active,
            signing_key: None,
        }
    };
    let named = |name: &str, domains: &[&str], country: &str| NamedAccount {
        name: name.into(),
        domains: strings(domains),
        country: country.into(),
    };
    let mut partners = vec![
        partner(
            "p-nordlys",
            "Nordlys IT AS",
            "platinum",
            &["NO", "SE"],
            &["net", "sec"],
            &["NX Expert", "Sentinel Pro"],
            25,
        ),
        partner(
            "p-kronberg",
            "Kronberg Systemhaus GmbH",
            "gold",
            &["DE", "AT", "NL"],
            &["net", "cloud"],
            &["NX Expert"],
            20,
        ),
        partner("p-lagom", "Lagom Nätverk AB", "gold", &["SE", "FI"], &["net"], &["NX Associate"], 15),
        partner(
            "p-tulip",
            "Tulip Integrators B.V.",
            "silver",
            &["NL", "BE"],
            &["cloud"],
            &["Cloud Associate"],
            10,
        ),
        partner(
            "p-thames",
            "Thames Digital Ltd",
            "platinum",
            &["GB", "IE", "NL"],
            &["sec", "cloud"],
            &["Sentinel Pro", "Cloud Expert"],
            25,
        ),
        partner("p-loire", "Loire Réseaux SARL", "silver", &["FR", "BE"], &["net"], &[], 8),
    ];
    // One partner is suspended, so the demo shows what that does.
    partners[5].status = PartnerStatus::Suspended;

    Programme {
        format: "dealreg.programme".into(),
        version: 4,
        id: "auroral-advantage-2026".into(),
        revision: 1,
        name: "Auroral Partner Advantage 2026/27".into(),
        vendor: "Auroral Networks".into(),
        vendor_key: None,
        currency: "EUR".into(),
        exchange_rates: BTreeMap::from([
            ("SEK".to_string(), 0.088),
            ("NOK".to_string(), 0.085),
            ("GBP".to_string(), 1.17),
            ("USD".to_string(), 0.92),
        ]),
        starts: date(2026, 7, 1),
        ends: date(2027, 6, 30),
        protection_days: 90,
        extension: ExtensionPolicy { days: 30, max_extensions: 2, minimum_stage: Stage::Price },
        minimum_deal_value: 5000.0,
        new_business_only: true,
        eligibility: Eligibility { required_certifications: Vec::new(), customer_in_partner_countries: true },
        product_lines: vec![
            line("net", "Networking"),
            line("sec", "Security"),
            line("cloud", "Cloud services"),
        ],
        products: vec![
            product("NX-SW24", "NX 24-port switch", "net", true, 2400.0),
            product("NX-SW48", "NX 48-port switch", "net", true, 4100.0),
            product("NX-RT10", "NX edge router", "net", true, 6800.0),
            product("NX-AP6", "NX Wi-Fi 6 access point", "net", true, 650.0),
            product("SG-FW200", "Sentinel firewall 200", "sec", true, 9500.0),
            product("SG-FW800", "Sentinel firewall 800", "sec", true, 24000.0),
            product("SG-EDR", "Sentinel EDR, 100 seats", "sec", true, 7200.0),
            product("CL-MON", "Cloud monitoring, yearly", "cloud", true, 3000.0),
            product("CL-BKP", "Cloud backup 10 TB, yearly", "cloud", true, 5400.0),
            product("CL-SUP", "Premium support, yearly", "cloud", false, 1200.0),
        ],
        tiers: vec![
            tier("platinum", "Platinum", 8.0, 3.0, 1500.0, 3.0),
            tier("gold", "Gold", 5.0, 2.0, 750.0, 2.0),
            tier("silver", "Silver", 2.0, 0.0, 250.0, 1.0),
        ],
        partners,
        named_accounts: vec![
            named("Ericsson", &["ericsson.com"], "SE"),
            named("Siemens AG", &["siemens.com"], "DE"),
            named("Unilever PLC", &["unilever.com"], "GB"),
        ],
        approval: ApprovalPolicy {
            auto_approve_below: 25000.0,
            review_sla_business_days: 2,
            holidays: Vec::new(),
        },
        conflict: ConflictPolicy {
            second_registrant_share: 0.5,
            match_thresholds: MatchThresholds::default(),
            related_companies: RelatedCompanies::Review,
        },
        incentive_budget: Some(150000.0),
        stage_probabilities: dealreg::template::stage_probabilities(),
        lead_scoring: scoring(),
        lead_routing: LeadRouting {
            method: RoutingMethod::WeightedByTier,
            accept_within_hours: 72,
            idle_days: 21,
        },
        qualification: Qualification {
            items: [
                ("budget", "Budget confirmed"),
                ("decisionMaker", "Decision maker identified"),
                ("need", "Need stated by the customer"),
                ("timeline", "Timeline known"),
                ("competition", "Competition known"),
            ]
            .into_iter()
            .map(|(id, label)| QualificationItem { id: id.into(), label: label.into() })
            .collect(),
            to_approve: 3,
            to_extend: 4,
            when_short: WhenShort::Review,
        },
        lead_priority: LeadPriority { auto_approve_below: Some(50000.0), first_in_conflicts: false },
        pricing: PricingPolicy { max_special_points: 10.0, audit_tolerance_points: 0.5 },
    }
}

/// The account work on the registrations, without drawing from the random
/// stream (so the rest of the demo stays as it was): checklist answers (most
/// confirm 3 to 5 items), the terms each approval granted, a few business
/// cases and joint plans, and two special prices: one granted with its reason,
/// one asked for. Tulip Integrators' first two approvals were granted Gold
/// terms though it is a Silver partner, with no reason recorded: the
/// fair-pricing audit flags it.
fn account_work(programme: &Programme, registrations: &mut [Registration]) {
    let items: Vec<String> = programme.qualification.items.iter().map(|i| i.id.clone()).collect();
    let mut tulip = 0;
    for (n, r) in registrations.iter_mut().enumerate() {
        let confirmed = if r.status == Status::Draft { n % 3 } else { 3 + n % 3 };
        r.qualification = items[..confirmed].to_vec();
        let approved = matches!(
            r.status,
            Status::Approved | Status::Extended | Status::Won | Status::Lost | Status::Expired
        );
        if approved {
            let partner = programme.partner(&r.partner_id).unwrap();
            let mut tier = programme.tier(&partner.tier).unwrap();
            if r.partner_id == "p-tulip" && tulip < 2 {
                tulip += 1;
                tier = programme.tier("gold").unwrap();
                r.incentive =
                    Some(((r.value * tier.rebate_percent / 100.0 + tier.bounty) * 100.0).round() / 100.0);
            }
            r.terms = Some(Terms {
                tier: tier.id.clone(),
                extra_discount_points: tier.extra_discount_points,
                rebate_percent: tier.rebate_percent,
                share: 1.0,
            });
        }
        if n % 7 == 0 && r.status != Status::Draft {
            r.business_case = Some(BusinessCase {
                problem: format!("{} runs ageing equipment that fails audits", r.customer.name),
                solution: "Replace the core and branch network in two waves".into(),
                value: "Fewer outages; audit findings closed before year end".into(),
                competitors: "Cisco via a national integrator".into(),
                decision_date: Some(r.expected_close - Duration::days(30)),
            });
        }
    }
    // The two approved deals of one platinum partner protected longest get a
    // special price (granted) and a request for presales help (not answered yet).
    let mut open: Vec<&mut Registration> = registrations
        .iter_mut()
        .filter(|r| r.partner_id == "p-thames" && r.status == Status::Approved && r.received_at.is_some())
        .collect();
    open.sort_by_key(|r| std::cmp::Reverse(r.protected_until));
    let mut open = open.into_iter();
    if let Some(r) = open.next() {
        let received = r.received_at.unwrap();
        let points = 4.0;
        r.requests.push(SupportRequest {
            id: format!("{}-Q1", r.id),
            kind: RequestKind::SpecialPrice,
            note: "The customer has a competing quote 6% below ours".into(),
            extra_discount_points: Some(points),
            competing_offer: Some("Integrator bid at 6% under list".into()),
            requested_at: received + Duration::days(3),
            state: RequestState::Approved,
            reason: Some("Competitive displacement; matched to the documented bid".into()),
            answered_at: Some(received + Duration::days(4)),
            expires_on: r.protected_until,
            cost: Some((r.value * points).round() / 100.0),
        });
        r.account_plan = Some(AccountPlan {
            notes: "Strategic logo in the region; vendor presales joins the second workshop.".into(),
            steps: vec![
                PlanStep {
                    what: "Technical workshop".into(),
                    owner: "partner".into(),
                    due: received.date_naive() + Duration::days(14),
                    done: true,
                },
                PlanStep {
                    what: "Reference call with a customer in the same industry".into(),
                    owner: "vendor".into(),
                    due: received.date_naive() + Duration::days(30),
                    done: false,
                },
            ],
        });
    }
    if let Some(r) = open.next() {
        r.requests.push(SupportRequest {
            id: format!("{}-Q1", r.id),
            kind: RequestKind::Presales,
            note: "A presales engineer for the proof of concept".into(),
            extra_discount_points: None,
            competing_offer: None,
            requested_at: r.received_at.unwrap() + Duration::days(5),
            state: RequestState::Requested,
            reason: None,
            answered_at: None,
            expires_on: None,
            cost: None,
        });
    }
}

/// The channel manager's hand-written model: who buys from us, and what a keen lead does.
fn scoring() -> LeadScoring {
    let among = |attribute, values: &[&str], points| FitRule {
        attribute,
        values: strings(values),
        min: None,
        max: None,
        points,
    };
    let from = |attribute, min: f64, points| FitRule {
        attribute,
        values: Vec::new(),
        min: Some(min),
        max: None,
        points,
    };
    LeadScoring {
        fit: vec![
            among(Attribute::Industry, &["manufacturing", "healthcare", "finance"], 10.0),
            from(Attribute::Employees, 250.0, 10.0),
            from(Attribute::Employees, 2000.0, 5.0),
            from(Attribute::Budget, 50_000.0, 15.0),
            among(Attribute::Timing, &["thisQuarter", "nextQuarter"], 10.0),
            FitRule {
                attribute: Attribute::BusinessEmail,
                values: Vec::new(),
                min: None,
                max: None,
                points: 5.0,
            },
            among(Attribute::Timing, &["later"], -5.0),
        ],
        engagement: Engagement {
            points: ActivityPoints {
                email_opened: 1.0,
                visit: 3.0,
                webinar: 8.0,
                demo_request: 20.0,
                call: 10.0,
            },
            daily_cap: 25.0,
            half_life_days: 45.0,
        },
        grades: vec![
            Grade { name: "SQL".into(), min_score: 55.0 },
            Grade { name: "MQL".into(), min_score: 30.0 },
        ],
    }
}

/// An end customer and the ways partners spell it.
struct Company {
    spellings: &'static [&'static str],
    domain: &'static str,
    country: &'static str,
    city: &'static str,
}

const fn co(
    spellings: &'static [&'static str],
    domain: &'static str,
    country: &'static str,
    city: &'static str,
) -> Company {
    Company { spellings, domain, country, city }
}

/// The first ones are contested: more than one partner covers their country.
const COMPANIES: &[Company] = &[
    co(
        &["Volvo Car Corporation", "VOLVO CARS AB", "Volvo Personvagnar AB"],
        "volvocars.com",
        "SE",
        "Göteborg",
    ),
    co(&["Koninklijke Philips N.V.", "Philips", "PHILIPS NV"], "philips.com", "NL", "Amsterdam"),
    co(&["Nokia Oyj", "Nokia Corporation", "NOKIA"], "nokia.com", "FI", "Espoo"),
    co(&["Solvay SA", "Solvay S.A.", "solvay"], "solvay.com", "BE", "Brussels"),
    co(&["Scania CV AB", "Scania", "SCANIA C.V. AKTIEBOLAG"], "scania.com", "SE", "Södertälje"),
    co(&["ASML Holding N.V.", "ASML", "A.S.M.L. Holding"], "asml.com", "NL", "Veldhoven"),
    co(&["Vattenfall AB", "Vattenfall Aktiebolag", "VATTENFALL"], "vattenfall.com", "SE", "Solna"),
    co(&["Kone Oyj", "KONE Corporation", "Kone"], "kone.com", "FI", "Espoo"),
    co(&["Heineken N.V.", "Heineken", "The Heineken Company"], "theheinekencompany.com", "NL", "Amsterdam"),
    co(&["Volvo Construction Equipment AB", "Volvo CE"], "volvoce.com", "SE", "Eskilstuna"),
    co(&["Robert Bosch GmbH", "Bosch"], "bosch.com", "DE", "Stuttgart"),
    co(&["Zalando SE", "Zalando"], "zalando.de", "DE", "Berlin"),
    co(&["Deutsche Bahn AG", "DB Deutsche Bahn"], "deutschebahn.com", "DE", "Berlin"),
    co(&["Müller Logistik GmbH", "Mueller Logistik"], "mueller-logistik.de", "DE", "Hamburg"),
    co(&["Red Bull GmbH", "Red Bull"], "redbull.com", "AT", "Fuschl am See"),
    co(&["Equinor ASA", "Equinor"], "equinor.com", "NO", "Stavanger"),
    co(&["Telenor ASA", "Telenor Group"], "telenor.com", "NO", "Fornebu"),
    co(&["Statens vegvesen"], "vegvesen.no", "NO", "Oslo"),
    co(&["Husqvarna AB", "Husqvarna Group"], "husqvarnagroup.com", "SE", "Huskvarna"),
    co(&["Spotify AB", "Spotify Technology S.A."], "spotify.com", "SE", "Stockholm"),
    co(&["Åbo Akademi", "Abo Akademi University"], "abo.fi", "FI", "Turku"),
    co(&["Tesco PLC", "Tesco Stores Ltd"], "tesco.com", "GB", "Welwyn Garden City"),
    co(&["Marks & Spencer Group plc", "Marks and Spencer"], "marksandspencer.com", "GB", "London"),
    co(&["Rolls-Royce Holdings plc", "Rolls Royce"], "rolls-royce.com", "GB", "London"),
    co(&["Ryanair DAC", "Ryanair Holdings"], "ryanair.com", "IE", "Dublin"),
    co(&["L'Oréal S.A.", "LOREAL"], "loreal.com", "FR", "Clichy"),
    co(&["Société Générale", "Societe Generale SA"], "societegenerale.com", "FR", "Paris"),
    co(
        &["Compagnie Générale des Établissements Michelin", "Michelin"],
        "michelin.com",
        "FR",
        "Clermont-Ferrand",
    ),
    co(&["Siemens Healthineers AG"], "siemens-healthineers.com", "DE", "Erlangen"),
    co(&["Proximus NV", "Proximus"], "proximus.be", "BE", "Brussels"),
];

/// How many of COMPANIES (from the start) two or three partners register.
const N_CONTESTED: usize = 9;

const FIRST_NAMES: &[&str] = &[
    "Anna", "Erik", "Sofia", "Lars", "Ingrid", "Jonas", "Fatima", "Pieter", "Claire", "Mateo", "Aino",
    "Liam", "Hanna", "Tomás", "Chloé", "Jan", "Emma", "Oskar", "Noor", "Kai",
];
const LAST_NAMES: &[&str] = &[
    "Lindqvist",
    "Berg",
    "Jansen",
    "Dubois",
    "Virtanen",
    "Murphy",
    "Schneider",
    "Haugen",
    "Peeters",
    "Novak",
    "O'Brien",
    "Nieminen",
    "Müller",
    "de Vries",
    "Martin",
    "Holm",
    "Karlsson",
    "Smith",
    "Laine",
    "Bakker",
];

fn partners_for<'a>(programme: &'a Programme, country: &str) -> Vec<&'a Partner> {
    programme.partners.iter().filter(|p| p.countries.iter().any(|c| c == country)).collect()
}

fn contact(rng: &mut ChaCha8Rng, domain: &str) -> Contact {
    let first = FIRST_NAMES.choose(rng).unwrap();
    let last = LAST_NAMES.choose(rng).unwrap();
    let local = format!("{}.{}", slug(first), slug(last)).replace('-', "");
    Contact {
        name: format!("{first} {last}"),
        email: Some(format!("{local}@{domain}")),
        phone: Some(format!("+{} {}", rng.random_range(30..50), rng.random_range(1_000_000..9_999_999))),
    }
}

fn registrations(rng: &mut ChaCha8Rng, programme: &Programme) -> Vec<Registration> {
    let registrable: Vec<&Product> = programme.products.iter().filter(|p| p.registrable).collect();
    let first_day = date(2026, 7, 6);
    let mut out: Vec<Registration> = Vec::with_capacity(N_REGISTRATIONS);

    // Which (company, partner, spelling) to register: contested ones first.
    let mut claims: Vec<(usize, String, usize)> = Vec::new();
    for (company_idx, company) in COMPANIES.iter().enumerate().take(N_CONTESTED) {
        let partners = partners_for(programme, company.country);
        let n = partners.len().min(company.spellings.len()).min(3);
        for (k, partner) in partners.iter().take(n).enumerate() {
            claims.push((company_idx, partner.id.clone(), k));
        }
    }
    while claims.len() < N_REGISTRATIONS {
        let company_idx = rng.random_range(N_CONTESTED..COMPANIES.len());
        let company = &COMPANIES[company_idx];
        let partners = partners_for(programme, company.country);
        let partner = partners.choose(rng).expect("every demo country has a partner");
        claims.push((company_idx, partner.id.clone(), rng.random_range(0..company.spellings.len())));
    }

    for (reg_idx, (company_idx, partner_id, spelling)) in claims.into_iter().enumerate() {
        let company = &COMPANIES[company_idx];
        let n_items = rng.random_range(1..=3);
        let mut products: Vec<LineItem> = Vec::new();
        for product in registrable.choose_multiple(rng, n_items) {
            let quantity =
                if product.list_price < 1000.0 { rng.random_range(10..80) } else { rng.random_range(1..6) };
            products.push(LineItem { sku: product.sku.clone(), quantity });
        }
        let list: f64 = products
            .iter()
            .map(|item| programme.product(&item.sku).unwrap().list_price * f64::from(item.quantity))
            .sum();
        // A few small deals fall under the minimum, as real ones do.
        let value = if reg_idx % 13 == 7 {
            4200.0
        } else {
            (list * rng.random_range(0.8..1.0) / 100.0).round() * 100.0
        };
        let contested = company_idx < N_CONTESTED;
        // A contested customer's first spelling is registered first; the others follow.
        let offset =
            if contested { company_idx as i64 * 11 + spelling as i64 * 9 } else { rng.random_range(0..130) };
        let created = first_day + Duration::days(offset);
        let created_at = at(created, rng.random_range(8..17), rng.random_range(0..60));
        let stage = *Stage::ALL[..5].choose(rng).unwrap();
        let status = if partner_id == "p-loire" || value < programme.minimum_deal_value {
            Status::Rejected
        } else if contested {
            [Status::Approved, Status::InReview, Status::Rejected][spelling]
        } else {
            *[
                Status::Approved,
                Status::Approved,
                Status::Approved,
                Status::Approved,
                Status::Submitted,
                Status::InReview,
                Status::Won,
                Status::Won,
                Status::Lost,
                Status::Expired,
                Status::Draft,
                Status::Extended,
            ]
            .choose(rng)
            .unwrap()
        };
        let received_at =
            (status != Status::Draft).then(|| created_at + Duration::minutes(rng.random_range(5..600)));
        let protected = matches!(
            status,
            Status::Approved | Status::Extended | Status::Won | Status::Lost | Status::Expired
        );
        let extensions_used = u32::from(status == Status::Extended);
        let protected_until = received_at.filter(|_| protected).map(|r| {
            r.date_naive()
                + Duration::days(i64::from(
                    programme.protection_days + extensions_used * programme.extension.days,
                ))
        });
        let domain = if rng.random_bool(0.8) { Some(company.domain.to_string()) } else { None };
        // What an approval committed against the incentive budget: rebate + bounty of the tier.
        let incentive = protected.then(|| {
            let partner = programme.partner(&partner_id).unwrap();
            let tier = programme.tier(&partner.tier).unwrap();
            ((value * tier.rebate_percent / 100.0 + tier.bounty) * 100.0).round() / 100.0
        });
        let decision = match status {
            Status::Rejected if partner_id == "p-loire" => Some("Rejected: Loire Réseaux SARL is suspended."),
            Status::Rejected if value < programme.minimum_deal_value => {
                Some("Rejected: deal value 4,200 EUR is below the minimum 5,000 EUR.")
            }
            Status::Rejected => Some("Rejected: another partner registered this customer first."),
            Status::Approved | Status::Extended | Status::Won | Status::Lost | Status::Expired => {
                Some("Approved.")
            }
            _ => None,
        }
        .map(|reason| DecisionNote {
            status: if status == Status::Rejected { Status::Rejected } else { Status::Approved },
            reason: reason.into(),
            by: "vendor".into(),
            at: received_at.expect("decided registrations were received"),
        });
        // When it closed: at receipt if rejected, on the day after protection if
        // expired, somewhere inside the protection if won or lost.
        let closed_at = match status {
            Status::Rejected => received_at,
            Status::Expired => protected_until.map(|d| at(d + Duration::days(1), 0, 5)),
            Status::Won | Status::Lost => received_at.zip(protected_until).map(|(r, until)| {
                let span = (until - r.date_naive()).num_days().max(1);
                r + Duration::days(rng.random_range(1..=span))
            }),
            _ => None,
        };
        out.push(Registration {
            id: format!("R-{:04}", reg_idx + 1),
            revision: 1,
            partner_id,
            customer: Customer {
                name: company.spellings[spelling].to_string(),
                domain,
                country: company.country.into(),
                city: rng.random_bool(0.7).then(|| company.city.to_string()),
            },
            products,
            value,
            currency: "EUR".into(),
            expected_close: created + Duration::days(rng.random_range(45..200)),
            stage,
            status,
            contact: Some(contact(rng, company.domain)),
            notes: String::new(),
            created_at,
            received_at,
            protected_until,
            extensions_used,
            lead_id: None,
            campaign_id: None,
            new_business: true,
            incentive,
            extension_requested: false,
            extension_days: None,
            decision,
            closed_at,
            vendor_revision: None,
            partner_revision: None,
            qualification: Vec::new(),
            business_case: None,
            account_plan: None,
            requests: Vec::new(),
            terms: None,
        });
    }
    out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    out
}

fn campaigns() -> Vec<Campaign> {
    let campaign =
        |id: &str, name: &str, channel: &str, cost: f64, starts: NaiveDate, ends: NaiveDate| Campaign {
            id: id.into(),
            name: name.into(),
            channel: channel.into(),
            cost,
            currency: "EUR".into(),
            starts,
            ends,
        };
    vec![
        campaign(
            "C-EDGE",
            "Secure Edge webinar series",
            "webinar",
            12000.0,
            date(2026, 7, 1),
            date(2026, 9, 30),
        ),
        campaign(
            "C-SUMMIT",
            "Nordic Cloud Summit 2026",
            "event",
            45000.0,
            date(2026, 9, 15),
            date(2026, 9, 17),
        ),
        campaign(
            "C-WIFI",
            "Wi-Fi 6 refresh, paid search",
            "paid search",
            18000.0,
            date(2026, 7, 15),
            date(2026, 11, 30),
        ),
        campaign(
            "C-COOP",
            "Partner co-marketing Q3",
            "co-marketing",
            20000.0,
            date(2026, 7, 1),
            date(2026, 9, 30),
        ),
        campaign(
            "C-ASSESS",
            "Free security assessment",
            "e-mail",
            8000.0,
            date(2026, 8, 1),
            date(2026, 12, 31),
        ),
    ]
}

/// Words for made-up lead companies, by country, with the local legal form.
const LEAD_NAMES: &[(&str, &[&str], &[&str], &str)] = &[
    ("SE", &["Björk", "Fjäll", "Ekholm", "Solberg"], &["Logistik", "Bygg", "Data", "Energi"], "AB"),
    ("NO", &["Fjord", "Nordkapp", "Vik", "Lyng"], &["Shipping", "Fisk", "Kraft", "Bygg"], "AS"),
    ("FI", &["Virtanen", "Järvi", "Koivu", "Saimaa"], &["Tekniikka", "Metsä", "Logistiikka", "Data"], "Oy"),
    (
        "DE",
        &["Weber", "Lindenhof", "Rhein", "Schwarzwald"],
        &["Maschinenbau", "Logistik", "Pharma", "Handel"],
        "GmbH",
    ),
    ("AT", &["Alpen", "Donau", "Tirol", "Wiener"], &["Bau", "Holz", "Versicherung", "Technik"], "GmbH"),
    ("NL", &["Van Dijk", "Polder", "Zeeland", "Oranje"], &["Transport", "Bouw", "Zorg", "Media"], "B.V."),
    ("BE", &["Peeters", "Schelde", "Ardennen", "Brugse"], &["Bouw", "Chemie", "Logistiek", "Retail"], "NV"),
    (
        "GB",
        &["Harrow", "Pennine", "Severn", "Albion"],
        &["Foods", "Engineering", "Health", "Analytics"],
        "Ltd",
    ),
    (
        "IE",
        &["Liffey", "Shannon", "Connacht", "Emerald"],
        &["Analytics", "Pharma", "Foods", "Software"],
        "Ltd",
    ),
    (
        "FR",
        &["Durand", "Provence", "Garonne", "Lumière"],
        &["Conseil", "Industrie", "Santé", "Transports"],
        "SAS",
    ),
];
const INDUSTRIES: &[&str] =
    &["manufacturing", "logistics", "healthcare", "retail", "finance", "public sector", "energy", "software"];

fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'ä' | 'å' | 'à' => 'a',
            'ö' | 'ø' => 'o',
            'ü' => 'u',
            'é' | 'è' => 'e',
            'á' => 'a',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

fn region(country: &str) -> &'static str {
    match country {
        "SE" | "NO" | "FI" | "DK" => "Nordics",
        "DE" | "AT" | "CH" => "DACH",
        "NL" | "BE" | "LU" => "Benelux",
        "GB" | "IE" => "UK and Ireland",
        _ => "France",
    }
}

const NEEDS: &[(&str, &str)] = &[
    ("net", "Replace ageing core switches before the office move"),
    ("net", "Wi-Fi that covers the new warehouse"),
    ("sec", "Firewalls for twelve branch offices"),
    ("sec", "Endpoint protection after a ransomware scare"),
    ("cloud", "Off-site backup the auditors accept"),
    ("cloud", "Monitoring for a hybrid data centre"),
];

const DISQUALIFIED: &[&str] = &[
    "No budget this year",
    "Bought from a competitor",
    "Not reachable after five attempts",
    "Too small for us",
];

/// Leads from the campaigns. Whether a lead was won or lost depends on its
/// profile and engagement (industry, size, budget, timing, activities), as in
/// life, so calibration has something to learn from the history.
fn leads(rng: &mut ChaCha8Rng, programme: &Programme, campaigns: &[Campaign]) -> Vec<Lead> {
    let kinds = [
        ActivityKind::EmailOpened,
        ActivityKind::Visit,
        ActivityKind::Webinar,
        ActivityKind::DemoRequest,
        ActivityKind::Call,
    ];
    let timings = [Timing::ThisQuarter, Timing::NextQuarter, Timing::ThisYear, Timing::Later];
    (0..N_LEADS)
        .map(|lead_idx| {
            let (country, first, second, form) = LEAD_NAMES.choose(rng).unwrap();
            let base = format!("{} {}", first.choose(rng).unwrap(), second.choose(rng).unwrap());
            let company = format!("{base} {form}");
            let domain = format!("{}.{}", slug(&base), country.to_lowercase());
            let campaign = campaigns.choose(rng).unwrap();
            let created = campaign.starts + Duration::days(rng.random_range(0..40));
            let created_at = at(created, rng.random_range(7..19), rng.random_range(0..60));
            let person = contact(rng, &domain);
            // Some people sign up with a private address: it says nothing about the company.
            let email = if rng.random_bool(0.15) {
                person.email.map(|e| e.replace(&format!("@{domain}"), "@gmail.com"))
            } else {
                person.email
            };
            let industry = *INDUSTRIES.choose(rng).unwrap();
            let employees = *[12u32, 45, 120, 300, 850, 2400, 9000].choose(rng).unwrap();
            let budget = rng.random_bool(0.5).then(|| f64::from(rng.random_range(5u32..200)) * 1000.0);
            let timing = rng.random_bool(0.8).then(|| *timings.choose(rng).unwrap());
            let (line, need) = *NEEDS.choose(rng).unwrap();
            let mut activities: Vec<Activity> = (0..rng.random_range(0..7))
                .map(|_| Activity {
                    kind: *kinds.choose(rng).unwrap(),
                    at: created_at + Duration::hours(rng.random_range(1..24 * 60)),
                    note: None,
                })
                .collect();
            activities.sort_by_key(|a| a.at);

            // How good the lead really is, which the history then reflects.
            let quality = u8::from(["manufacturing", "finance", "healthcare"].contains(&industry))
                + u8::from(employees >= 300)
                + u8::from(budget.is_some_and(|b| b >= 50_000.0))
                + u8::from(matches!(timing, Some(Timing::ThisQuarter | Timing::NextQuarter)))
                + u8::from(activities.len() >= 3);
            let closed = created < date(2026, 9, 15) && rng.random_bool(0.6);
            let status = if closed {
                if rng.random_bool(0.1 + 0.17 * f64::from(quality)) {
                    LeadStatus::Converted
                } else {
                    LeadStatus::Disqualified
                }
            } else {
                *[
                    LeadStatus::New,
                    LeadStatus::New,
                    LeadStatus::Working,
                    LeadStatus::Nurturing,
                    LeadStatus::Qualified,
                ]
                .choose(rng)
                .unwrap()
            };
            let assigned_to = if status == LeadStatus::New && rng.random_bool(0.5) {
                None
            } else {
                let active: Vec<&Partner> = partners_for(programme, country)
                    .into_iter()
                    .filter(|p| p.status == PartnerStatus::Active)
                    .collect();
                active.choose(rng).map(|p| p.id.clone())
            };
            let offered_at = created_at + Duration::hours(rng.random_range(2..48));
            // New leads with a partner wait for its answer; the others were accepted.
            let offer = assigned_to.as_ref().map(|partner| Offer {
                state: if status == LeadStatus::New { OfferState::Offered } else { OfferState::Accepted },
                offered_at,
                answered_at: (status != LeadStatus::New)
                    .then(|| offered_at + Duration::hours(rng.random_range(1..40))),
                why: format!("assigned to {partner} by the channel manager"),
                reason: None,
            });
            let next_touch = (assigned_to.is_some() && status.is_open() && status != LeadStatus::New)
                .then(|| date(2026, 11, 16) + Duration::days(rng.random_range(0..30)));
            Lead {
                id: format!("L-{:04}", lead_idx + 1),
                revision: 1,
                campaign_id: campaign.id.clone(),
                company,
                domain: Some(domain),
                contact_name: person.name,
                email,
                country: country.to_string(),
                region: Some(region(country).to_string()),
                industry: Some(industry.to_string()),
                employees: Some(employees),
                budget,
                timing,
                need: Some(need.to_string()),
                product_line: Some(line.to_string()),
                status,
                status_reason: (status == LeadStatus::Disqualified)
                    .then(|| DISQUALIFIED.choose(rng).unwrap().to_string()),
                assigned_to,
                offer,
                declined_by: Vec::new(),
                offered_to: Vec::new(),
                activities,
                next_touch,
                registration_id: None,
                duplicate_of: None,
                created_at,
                partner_revision: None,
            }
        })
        .collect()
}

/// One customer registered again by another partner 75 days after the first:
/// rejected under 90-day protection, approved under 60. The sandbox shows it.
fn late_second_registrant(programme: &Programme, first_id: usize) -> Vec<Registration> {
    let one = |n: usize, partner: &str, name: &str, value: f64, received: DateTime<Utc>, status: Status| {
        let approved = status == Status::Expired;
        let until = received.date_naive() + Duration::days(i64::from(programme.protection_days));
        let tier = programme.tier(&programme.partner(partner).unwrap().tier).unwrap();
        Registration {
            id: format!("R-{:04}", first_id + n),
            revision: 1,
            partner_id: partner.into(),
            customer: Customer {
                name: name.into(),
                domain: Some("sandvik.com".into()),
                country: "SE".into(),
                city: Some("Sandviken".into()),
            },
            products: vec![LineItem { sku: "NX-SW48".into(), quantity: 3 }],
            value,
            currency: "EUR".into(),
            expected_close: received.date_naive() + Duration::days(120),
            stage: Stage::Scope,
            status,
            contact: None,
            notes: String::new(),
            created_at: received - Duration::hours(2),
            received_at: Some(received),
            protected_until: approved.then_some(until),
            extensions_used: 0,
            lead_id: None,
            campaign_id: None,
            new_business: true,
            incentive: approved
                .then(|| ((value * tier.rebate_percent / 100.0 + tier.bounty) * 100.0).round() / 100.0),
            extension_requested: false,
            extension_days: None,
            decision: Some(DecisionNote {
                status: if approved { Status::Approved } else { Status::Rejected },
                reason: if approved {
                    "Approved."
                } else {
                    "Rejected: another partner registered this customer first."
                }
                .into(),
                by: "vendor".into(),
                at: received,
            }),
            closed_at: Some(if approved { at(until + Duration::days(1), 0, 5) } else { received }),
            vendor_revision: None,
            partner_revision: None,
            qualification: Vec::new(),
            business_case: None,
            account_plan: None,
            requests: Vec::new(),
            terms: None,
        }
    };
    vec![
        one(0, "p-nordlys", "Sandvik AB", 12300.0, at(date(2026, 7, 20), 9, 30), Status::Expired),
        one(1, "p-lagom", "SANDVIK AKTIEBOLAG", 11800.0, at(date(2026, 10, 3), 14, 10), Status::Rejected),
    ]
}

/// The registration each converted lead became, won or lost: the closed-loop
/// history that campaign reports and scoring calibration read.
fn converted(
    rng: &mut ChaCha8Rng,
    programme: &Programme,
    leads: &mut [Lead],
    first_id: usize,
) -> Vec<Registration> {
    let mut out = Vec::new();
    for lead in leads.iter_mut().filter(|l| l.status == LeadStatus::Converted) {
        let Some(partner_id) = lead.assigned_to.clone() else {
            lead.status = LeadStatus::Disqualified;
            lead.status_reason = Some("No partner covers the country".into());
            continue;
        };
        let id = format!("R-{:04}", first_id + out.len());
        let line = lead.product_line.clone().unwrap_or_else(|| "net".into());
        let product = programme.products.iter().find(|p| p.line == line && p.registrable).unwrap();
        let quantity = rng.random_range(2..8);
        let value = product.list_price * f64::from(quantity);
        let received_at = lead.created_at + Duration::days(rng.random_range(10..30));
        let protected_until = received_at.date_naive() + Duration::days(i64::from(programme.protection_days));
        let good = lead.employees.is_some_and(|e| e >= 300) || lead.budget.is_some_and(|b| b >= 50_000.0);
        let status = if rng.random_bool(if good { 0.75 } else { 0.35 }) { Status::Won } else { Status::Lost };
        let tier = programme.tier(&programme.partner(&partner_id).unwrap().tier).unwrap();
        lead.registration_id = Some(id.clone());
        out.push(Registration {
            id,
            revision: 1,
            partner_id,
            customer: Customer {
                name: lead.company.clone(),
                domain: lead.domain.clone(),
                country: lead.country.clone(),
                city: None,
            },
            products: vec![LineItem { sku: product.sku.clone(), quantity }],
            value,
            currency: "EUR".into(),
            expected_close: received_at.date_naive() + Duration::days(60),
            stage: Stage::Close,
            status,
            contact: Some(Contact {
                name: lead.contact_name.clone(),
                email: lead.email.clone(),
                phone: None,
            }),
            notes: lead.need.clone().unwrap_or_default(),
            created_at: received_at - Duration::hours(3),
            received_at: Some(received_at),
            protected_until: Some(protected_until),
            extensions_used: 0,
            lead_id: Some(lead.id.clone()),
            campaign_id: Some(lead.campaign_id.clone()),
            new_business: true,
            incentive: Some(((value * tier.rebate_percent / 100.0 + tier.bounty) * 100.0).round() / 100.0),
            extension_requested: false,
            extension_days: None,
            decision: Some(DecisionNote {
                status: Status::Approved,
                reason: "Approved.".into(),
                by: "vendor".into(),
                at: received_at,
            }),
            closed_at: Some(received_at + Duration::days(rng.random_range(5..50))),
            vendor_revision: None,
            partner_revision: None,
            qualification: Vec::new(),
            business_case: None,
            account_plan: None,
            requests: Vec::new(),
            terms: None,
        });
    }
    out
}
