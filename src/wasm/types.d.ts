/** A date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** A time as RFC 3339, e.g. `2026-03-01T09:00:00Z`. */
export type IsoTime = string;

/** Whose desk this is. A partner desk holds only that partner's records. */
export type Role = { kind: "vendor" } | { kind: "partner"; partnerId: string };

/** A change a person makes to the desk (`Desk.apply`). */
export type Change =
  | { type: "chooseRole"; role: Role }
  | { type: "reset" }
  | { type: "register"; draft: Draft; submit: boolean }
  | { type: "editDraft"; id: string; draft: Draft }
  | { type: "submit"; id: string }
  | { type: "requestExtension"; id: string; reason: string; days?: number }
  | { type: "close"; id: string; status: "won" | "lost" | "withdrawn"; reason: string }
  | { type: "decide"; id: string; approve: boolean; reason: string }
  | { type: "decideExtension"; id: string; grant: boolean; reason: string; days?: number }
  | { type: "expireDue" }
  | { type: "routeLead"; id: string }
  | { type: "routeAll" }
  | { type: "recallLead"; id: string; reason: string }
  | { type: "recallOverdue" }
  | { type: "answerLead"; id: string; accept: boolean; reason: string }
  | { type: "logActivity"; id: string; activity: Activity }
  | { type: "setLeadStatus"; id: string; status: Exclude<LeadStatus, "converted">; reason: string }
  | { type: "setNextTouch"; id: string; date?: IsoDate | null }
  | { type: "qualify"; id: string; qualification: string[]; businessCase?: BusinessCase | null }
  | { type: "requestSupport"; id: string; request: RequestDraft }
  | { type: "answerRequest"; id: string; requestId: string; approve: boolean; reason: string; expiresOn?: IsoDate | null }
  | { type: "setAccountPlan"; id: string; plan: AccountPlan };

/** Why the customer should buy, in the partner's words. */
export interface BusinessCase {
  problem?: string; solution?: string; value?: string; competitors?: string; decisionDate?: IsoDate | null;
}
/** The vendor's account notes and the joint plan. */
export interface AccountPlan {
  notes?: string;
  steps: { what: string; owner: string; due: IsoDate; done?: boolean }[];
}
export type RequestKind = "presales" | "demoUnit" | "specialPrice";
/** What a partner asks for; a special price names the extra discount in points. */
export interface RequestDraft {
  kind: RequestKind; note: string; extraDiscountPoints?: number | null; competingOffer?: string | null;
}
/** A request and the vendor's answer; an approved special price has its expiry and cost. */
export interface SupportRequest extends RequestDraft {
  id: string;
  requestedAt: IsoTime;
  state: "requested" | "approved" | "declined";
  reason?: string; answeredAt?: IsoTime; expiresOn?: IsoDate; cost?: number;
}
/** What an approval granted, kept for the fair-pricing audit. */
export interface Terms { tier: string; extraDiscountPoints: number; rebatePercent: number; share: number }

/** What a partner fills in to register a deal. `partnerId` is set by a partner desk. */
export interface Draft {
  partnerId: string;
  customer: Customer;
  products: { sku: string; quantity: number }[];
  /** Required to register; the preview evaluates without it. */
  value: number | null;
  currency: string;
  /** Required to register; the preview evaluates without it. */
  expectedClose: IsoDate | null;
  stage: Stage;
  newBusiness?: boolean;
  contact?: { name: string; email?: string | null; phone?: string | null } | null;
  notes?: string;
  leadId?: string | null;
  campaignId?: string | null;
  /** Ids of the programme's qualification items the partner confirms. */
  qualification?: string[];
  businessCase?: BusinessCase | null;
}

export interface Customer {
  name: string;
  domain?: string | null;
  country: string;
  city?: string | null;
}

/** The form's view while typing: problems by field (`$.customer.name`), and the evaluation. */
export interface Preview {
  problems: Problem[];
  decision: Decision | null;
}

export type Outcome = "approved" | "inReview" | "rejected";
export type Rule =
  | "partner" | "period" | "products" | "minimumValue" | "newBusiness" | "qualification"
  | "namedAccount" | "duplicate" | "conflict" | "leadAssignment" | "autoApprove" | "budget";

export interface RuleResult {
  rule: Rule;
  title: string;
  check: "passed" | "failed" | "review" | "notApplicable";
  /** What was found, with the numbers used. */
  detail: string;
  /** For a failure or a review: what would have passed. */
  wouldPass: string | null;
}

/** A customer as `compareCustomers` takes it. `domain` may list several, separated by commas. */
export interface Party { name: string; domain?: string | null; email?: string | null; country?: string | null; city?: string | null }

/** One piece of evidence: the signal, how strongly it matched (0..1), how it weighs, what was compared. */
export interface Signal { signal: string; value: number; weight: number; detail: string }

/** Two registrations of one customer by different partners, both claiming it. */
export interface Conflict { first: string; second: string; lines: string[]; match: Match }

/** The registrations that conflict over one customer; `registrations[0]` was received first. */
export interface ConflictGroup {
  customer: string;
  registrations: string[];
  partners: string[];
  /** Whether any pair is a sure match; otherwise all are possible matches, for review. */
  sure: boolean;
  pairs: Conflict[];
}
export interface Match { score: number; verdict: "same" | "possible" | "different"; evidence: Signal[] }

export interface Finding {
  registrationId: string;
  partnerId: string;
  customer: string;
  status: Status;
  /** It held the customer (approved, protected) when the candidate was received. */
  held: boolean;
  receivedAt: IsoTime | null;
  protectedUntil: IsoDate | null;
  match: Match;
}

export interface Incentive {
  tier: string;
  tierId: string;
  extraDiscountPoints: number;
  rebatePercent: number;
  rebate: number;
  bounty: number;
  share: number;
  /** (rebate + bounty) × share: counted against the budget. */
  cost: number;
}

/** An evaluation: the outcome and every rule, in the decision order. */
export interface Decision {
  outcome: Outcome;
  firstFailure: Rule | null;
  summary: string;
  rules: RuleResult[];
  currency: string;
  valueInProgrammeCurrency: number | null;
  receivedAt: IsoTime;
  protectedUntil: IsoDate | null;
  reviewDue: IsoDate | null;
  incentive: Incentive | null;
  /** The incentive budget, where the desk knows it (a vendor's); null on a partner's. */
  budget: { total: number; committed: number; left: number } | null;
  /** Other partners' registrations of the same customer, with the match evidence. */
  conflicts: Finding[];
  /** The partner's own open registrations of the same customer. */
  duplicates: Finding[];
}

/** What an import of a submission or decision file did, record by record. */
export interface ImportReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  refused: Problem[];
  /** Signed with the key the programme names for the sender. */
  signed: boolean;
}

/** What adopting a programme file would change on a partner desk. */
export interface ProgrammeUpdate {
  id: string;
  name: string;
  vendor: string;
  revision: number;
  /** The revision this desk holds, if it holds this programme. */
  currentRevision: number | null;
  /** Signed with the vendor key it names (and that this desk trusts). */
  signed: boolean;
  vendorKey: string | null;
  /** One line per changed value, e.g. "protectionDays: 90 → 120". */
  changes: string[];
  /** False when it is the programme this desk already holds. */
  newer: boolean;
}

/** A desk in parts (`Desk.handOver`): its head, batches of its registrations
 * and leads (JSON arrays as UTF-8), its whole document and its stored text. */
export interface HandOver {
  head: string;
  registrations: Uint8Array[];
  leads: Uint8Array[];
  document: Uint8Array;
  stored: string | null;
}

/** Every lead's insight in figures, in the order of the desk's leads (`Desk.leadMarks`). */
export interface LeadMarks {
  score: Float64Array;
  /** 0: no grade; `i + 1`: the programme's `i`-th grade. */
  grade: Uint8Array;
  /** 1: the offer is overdue; 2: idle; 4: a touch is due. */
  flags: Uint8Array;
  daysUntouched: Int32Array;
}

/** What an invitation says: who joins which programme, and the vendor key it is signed with. */
export interface Welcome {
  partnerId: string;
  partner: string;
  tier: string;
  programmeId: string;
  programme: string;
  vendor: string;
  vendorKey: string;
  issuedAt: IsoTime;
}

/** The vendor key a partner desk trusts, kept beside the desk, never in it. */
export interface TrustedKey {
  format: "dealreg.trust";
  version: number;
  vendorKey: string;
  vendor: string;
  programmeId: string;
  /** When it was first trusted. */
  since: IsoTime;
}

/** The key a programme file is signed with, and the key the desk trusts now. */
export interface ProgrammeSigner {
  vendorKey: string;
  vendor: string;
  programmeId: string;
  name: string;
  /** The key trusted now, or null. */
  current: string | null;
}

export interface ExtensionCheck {
  until: IsoDate | null;
  reason: string | null;
}

export interface DecisionNote {
  status: Status;
  reason: string;
  by: string;
  at: IsoTime;
}

/** The desk without its records, and the overview's figures of them (`Desk.overview`). */
export interface Overview {
  role: Role | null;
  programme: Programme | null;
  campaigns: Campaign[];
  /** The latest events on the desk, newest first (at most 8), and how many it holds. */
  latest: AuditEvent[];
  auditEvents: number;
  registrations: number;
  /** Partner desks: registrations submitted that the vendor has not received yet. */
  unsent: number;
  /** Submitted, in review, approved or extended; their value, and weighted by stage. */
  open: number;
  pipeline: number;
  weighted: number;
  /** Submitted or in review. */
  awaitingDecision: number;
  /** Awaiting decision or asking for an extension: the review queue. */
  toReview: number;
  won: number;
  wonValue: number;
  leads: number;
  activeLeads: number;
  unassignedLeads: number;
  offersToAnswer: number;
}

/** What a load or an import put on the desk. */
export interface Summary {
  partners: number;
  registrations: number;
  leads: number;
  campaigns: number;
}

/** One thing wrong with a file, at a JSON path such as `$.registrations[3].value`. */
export interface Problem {
  path: string;
  message: string;
}

/** What every function here throws: an `Error` with details. */
export interface DealregError extends Error {
  name: "DealregError";
  kind: "invalid" | "storage" | "refused";
  problems: Problem[];
}

export type Stage = "identify" | "qualify" | "scope" | "price" | "propose" | "close";
export type Status =
  | "draft" | "submitted" | "inReview" | "approved" | "rejected"
  | "extended" | "won" | "lost" | "expired" | "withdrawn";

export interface Programme {
  format: "dealreg.programme";
  version: number;
  id: string;
  /** Grows with every change the vendor saves. */
  revision: number;
  name: string;
  vendor: string;
  /** The vendor's Ed25519 public key (base64): programme and decision files are signed with it. */
  vendorKey?: string;
  currency: string;
  /** What one unit of another currency is worth in the programme currency. */
  exchangeRates: Record<string, number>;
  starts: IsoDate;
  ends: IsoDate;
  protectionDays: number;
  extension: { days: number; maxExtensions: number; minimumStage: Stage };
  minimumDealValue: number;
  newBusinessOnly: boolean;
  eligibility: { requiredCertifications: string[]; customerInPartnerCountries: boolean };
  productLines: { id: string; name: string }[];
  products: { sku: string; name: string; line: string; registrable: boolean; listPrice: number }[];
  tiers: {
    id: string; name: string; eligible: boolean; extraDiscountPoints: number;
    rebatePercent: number; bounty: number; leadWeight: number;
  }[];
  partners: Partner[];
  namedAccounts: { name: string; domains: string[]; country: string }[];
  /** `holidays`: days the vendor does not review, for every customer or for those in `countries`. */
  approval: { autoApproveBelow: number; reviewSlaBusinessDays: number; holidays?: { date: string; name?: string; countries?: string[] }[] };
  conflict: {
    secondRegistrantShare: number;
    matchThresholds: { same: number; possible: number };
    /** Customers whose names start with the same distinctive word: a possible match (default), one customer, or separate ones. */
    relatedCompanies?: "review" | "same" | "separate";
  };
  /** The vendor's; never published, none on a partner's desk. */
  incentiveBudget?: number | null;
  stageProbabilities: Partial<Record<Stage, number>>;
  /** Absent in older files: the default model. */
  leadScoring?: LeadScoring;
  leadRouting?: LeadRouting;
  /** The checklist; how many items approval and an extension need; short of it: review or reject. */
  qualification?: {
    items: { id: string; label: string }[]; toApprove: number; toExtend: number; whenShort?: "review" | "reject";
  };
  /** A converted lead the vendor routed to the partner is approved without review below this. */
  leadPriority?: { autoApproveBelow?: number | null; firstInConflicts?: boolean };
  /** The largest special price, and the audit's tolerance, in discount points. */
  pricing?: { maxSpecialPoints: number; auditTolerancePoints: number };
}

export type LeadAttribute =
  | "country" | "region" | "industry" | "productLine" | "timing" | "campaign"
  | "employees" | "budget" | "businessEmail";

/** Fit rules on the profile, points per activity (capped per day, halved every `halfLifeDays`), grades from the highest. */
export interface LeadScoring {
  fit: { attribute: LeadAttribute; values?: string[]; min?: number; max?: number; points: number }[];
  engagement: { points: Partial<Record<ActivityKind, number>>; dailyCap: number; halfLifeDays: number };
  grades: { name: string; minScore: number }[];
}

export interface LeadRouting {
  method: "weightedByTier" | "roundRobin" | "leastLoaded";
  acceptWithinHours: number;
  idleDays: number;
}

export interface Partner {
  id: string;
  name: string;
  tier: string;
  countries: string[];
  specialisations: string[];
  certifications: string[];
  leadCapacity: number;
  status: "active" | "suspended";
  /** The partner's Ed25519 public key (base64), if its submissions must be signed. */
  signingKey?: string;
}

export interface Registration {
  id: string;
  revision: number;
  partnerId: string;
  customer: { name: string; domain: string | null; country: string; city: string | null };
  products: { sku: string; quantity: number }[];
  value: number;
  currency: string;
  expectedClose: IsoDate;
  stage: Stage;
  status: Status;
  contact: { name: string; email: string | null; phone: string | null } | null;
  notes: string;
  createdAt: IsoTime;
  receivedAt: IsoTime | null;
  protectedUntil: IsoDate | null;
  extensionsUsed: number;
  leadId: string | null;
  campaignId: string | null;
  newBusiness: boolean;
  /** Committed against the incentive budget on approval. */
  incentive: number | null;
  extensionRequested: boolean;
  /** The days of extension asked for, when fewer than the programme's. */
  extensionDays?: number;
  decision: DecisionNote | null;
  /** When it was rejected, won, lost, expired or withdrawn. */
  closedAt: IsoTime | null;
  /** Partner desks: the vendor's revision last read from a decision file. */
  vendorRevision?: number;
  /** Vendor desks: the partner's revision last read from a submission file. */
  partnerRevision?: number;
  qualification?: string[];
  businessCase?: BusinessCase;
  accountPlan?: AccountPlan;
  requests?: SupportRequest[];
  terms?: Terms;
}

export type LeadStatus = "new" | "working" | "nurturing" | "qualified" | "converted" | "disqualified";
export type ActivityKind = "emailOpened" | "visit" | "webinar" | "demoRequest" | "call";
export interface Activity { kind: ActivityKind; at: IsoTime; note?: string | null }

export interface Lead {
  id: string;
  revision: number;
  campaignId: string;
  company: string;
  domain: string | null;
  contactName: string;
  email: string | null;
  country: string;
  region?: string | null;
  industry: string | null;
  employees: number | null;
  budget: number | null;
  timing?: "thisQuarter" | "nextQuarter" | "thisYear" | "later" | null;
  need?: string | null;
  productLine?: string | null;
  status: LeadStatus;
  statusReason?: string | null;
  assignedTo: string | null;
  /** Absent on a lead assigned before offers existed: it counts as accepted. */
  offer?: {
    state: "offered" | "accepted" | "declined";
    offeredAt: IsoTime;
    answeredAt?: IsoTime | null;
    why: string;
    reason?: string | null;
  } | null;
  declinedBy?: string[];
  /** Vendor desks: every partner the lead has been offered to (never sent to a partner). */
  offeredTo?: string[];
  activities: Activity[];
  nextTouch?: IsoDate | null;
  registrationId?: string | null;
  duplicateOf?: string | null;
  createdAt: IsoTime;
}

export interface LeadScore {
  score: number;
  fit: number;
  engagement: number;
  grade: string | null;
  contributions: { kind: "fit" | "engagement"; signal: string; points: number }[];
}

export interface LeadInsight {
  id: string;
  score: LeadScore;
  offerOverdue: boolean;
  idle: boolean;
  daysUntouched: number;
  due: boolean;
}

export interface Routing {
  leadId: string;
  method: LeadRouting["method"];
  chosen: string | null;
  candidates: {
    partnerId: string; eligible: boolean; reasons: string[]; weight: number;
    chance: number; load: number; capacity: number;
  }[];
  why: string;
}

export interface LeadImportOptions {
  /** Lead field → column header; absent: the suggested mapping. */
  mapping?: Record<string, string> | null;
  /** The campaign of rows that name none. */
  campaignId?: string | null;
  skipBadRows?: boolean;
}

export interface RowProblem { line: number; column: string; message: string }
export interface DuplicateLead { line: number; id: string; company: string; of: string; ofCompany: string; score: number }

export interface LeadImportPreview {
  columns: string[];
  sample: string[][];
  rows: number;
  mapping: Record<string, string>;
  fields: { name: string; label: string; required: boolean }[];
  /** What is wrong with the mapping or the chosen campaign; no row is read until it is mended. */
  mappingProblems: Problem[];
  ready: number;
  problems: RowProblem[];
  duplicates: DuplicateLead[];
}

export interface LeadImport { added: string[]; skipped: RowProblem[]; duplicates: DuplicateLead[] }

export interface Calibration {
  won: number;
  lost: number;
  trainedOn: number;
  testedOn: number;
  learnedAuc: number | null;
  programmeAuc: number | null;
  weights: { attribute: string; value: string; weight: number; won: number; lost: number }[];
  note: string | null;
}

export interface Campaign {
  id: string;
  name: string;
  channel: string;
  cost: number;
  currency: string;
  starts: IsoDate;
  ends: IsoDate;
}

export interface AuditEvent {
  seq: number;
  at: IsoTime;
  actor: string;
  action: string;
  detail: string;
}

/** The whole state of one desk; also the backup file (`format: "dealreg.workspace"`). */
export interface Workspace {
  format: "dealreg.workspace";
  version: number;
  role: Role | null;
  programme: Programme | null;
  registrations: Registration[];
  leads: Lead[];
  campaigns: Campaign[];
  audit: AuditEvent[];
  updatedAt: IsoTime | null;
}

/** The closed-loop reports; amounts in the programme currency. */
export interface Report {
  asOf: IsoTime;
  currency: string;
  pipeline: {
    open: number; value: number; weighted: number;
    byStage: { stage: Stage; count: number; value: number; probability: number; weighted: number }[];
    forecast: { month: string; count: number; value: number; weighted: number }[];
  };
  registrations: {
    received: number; approved: number; rejected: number; pending: number;
    approvalRate: number | null; medianDaysToDecision: number | null; slaBreaches: number;
    conflictCustomers: number; conflictPairs: number; expired: number; extensions: number; extensionRequests: number;
  };
  partners: {
    partnerId: string; name: string; tier: string; registrations: number; won: number; lost: number;
    winRate: number | null; revenue: number; averageDeal: number | null; medianDaysToClose: number | null;
    leadsOffered: number; leadsAccepted: number; leadsConverted: number;
    acceptanceRate: number | null; conversionRate: number | null;
  }[];
  campaigns: {
    campaignId: string; name: string; cost: number; leads: number; qualified: number;
    opportunities: number; won: number; revenue: number; roi: number | null;
  }[];
  incentives: { byTier: IncentiveRow[]; byKind: IncentiveRow[] };
  funding: { budget: number | null; committed: number; paid: number; left: number | null; ratePerDay: number; runsOutOn: IsoDate | null };
  /** The fair-pricing audit: every discount granted, and the partners flagged. */
  pricing: PricingAudit;
  /** SVG text, each with a title and a description for screen readers. */
  charts: { funnel: string; forecast: string; leaderboard: string; campaigns: string };
}

export interface PricingAudit {
  tolerancePoints: number;
  grants: {
    registrationId: string; partnerId: string; customer: string; value: number;
    kind: "tier" | "secondRegistrant" | "specialPrice"; tier: string; points: number; share: number;
    reason: string; justified: boolean; grantedOn: IsoDate | null; expiresOn: IsoDate | null;
  }[];
  partners: {
    partnerId: string; name: string; tier: string; tierPoints: number; registrations: number; value: number;
    averagePoints: number; reasonedPoints: number; unexplainedPoints: number; flagged: boolean; why: string;
  }[];
  flagged: number;
  /** SVG text: each partner's average extra discount. */
  chart: string;
}

export interface IncentiveRow {
  key: string; name: string; committed: number; paid: number; revenue: number; returnPerUnit: number | null;
}

/** Registrations re-run under programme A and programme B. */
export interface Simulation {
  asOf: IsoTime;
  registrations: number;
  currency: string;
  a: SandboxSide;
  b: SandboxSide;
  partners: { partnerId: string; name: string; approvedA: number; approvedB: number; incentiveA: number; incentiveB: number }[];
  differences: {
    registrationId: string; partnerId: string; customer: string; value: number; receivedAt: IsoTime;
    a: SandboxVerdict; b: SandboxVerdict;
  }[];
  /** SVG text: each measure under A and under B. */
  chart: string;
}

export interface SandboxSide {
  approved: number; inReview: number; rejected: number;
  rejectedByRule: { rule: string; title: string; count: number }[];
  conflicts: number; expired: number; protectedPipeline: number; incentiveCost: number;
  budgetLeft: number | null; budgetRunsOutOn: IsoDate | null;
}

/** `summary` is null only for a difference a `Sandbox` was asked not to explain yet. */
export interface SandboxVerdict { outcome: "approved" | "inReview" | "rejected"; firstFailure: string | null; summary: string | null }

/** A programme saved on the vendor's desk: its revision and what changed, in words. */
export interface ProgrammeSaved {
  revision: number;
  changes: string[];
}

/** A CSV file's column names and rows of text, each row with the line it starts on. */
export interface TextTable {
  columns: string[];
  rows: [number, string[]][];
}
