/** A date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** A time as RFC 3339, e.g. `2026-03-01T09:00:00Z`. */
export type IsoTime = string;

/** Whose desk this is. A partner desk holds only that partner's records. */
export type Role = { kind: "vendor" } | { kind: "partner"; partnerId: string };

/** A change a person makes to the desk (`Desk.apply`). */
export type Change =
  | { type: "chooseRole"; role: Role }
  | { type: "reset" };

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
  name: string;
  vendor: string;
  currency: string;
  starts: IsoDate;
  ends: IsoDate;
  protectionDays: number;
  extension: { days: number; maxExtensions: number; minimumStage: Stage };
  minimumDealValue: number;
  newBusinessOnly: boolean;
  productLines: { id: string; name: string }[];
  products: { sku: string; name: string; line: string; registrable: boolean; listPrice: number }[];
  tiers: {
    id: string; name: string; eligible: boolean; extraDiscountPoints: number;
    rebatePercent: number; bounty: number; leadWeight: number;
  }[];
  partners: Partner[];
  namedAccounts: { name: string; domains: string[]; country: string }[];
  approval: { autoApproveBelow: number; reviewSlaBusinessDays: number };
  conflict: { secondRegistrantShare: number };
  incentiveBudget: number;
  stageProbabilities: Partial<Record<Stage, number>>;
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
}

export interface Lead {
  id: string;
  revision: number;
  campaignId: string;
  company: string;
  domain: string | null;
  contactName: string;
  email: string | null;
  country: string;
  industry: string | null;
  employees: number | null;
  budget: number | null;
  status: "new" | "working" | "nurturing" | "qualified" | "converted" | "disqualified";
  assignedTo: string | null;
  activities: { kind: "emailOpened" | "visit" | "webinar" | "demoRequest" | "call"; at: IsoTime }[];
  createdAt: IsoTime;
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
