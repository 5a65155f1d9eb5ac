import type { CallAnalysis } from '../analyze/types.ts';

/**
 * Everything the report pages need, as plain rows read from the database (or built by a test). `buildSite` turns
 * it into view models with the leads and patterns modules' pure functions, so reports never re-implement PHI,
 * dwell or mining. Ids are the CRM's ids for reps, customers and leads; recordings use the stored id.
 */
export interface ReportData {
  tenantName: string;
  /** The moment the report describes ("as of"); overdue and dwell are measured to it. */
  asOf: Date;
  window: { from: Date; to: Date };
  reps: ReportRep[];
  customers: ReportCustomer[];
  leads: ReportLead[];
  recordings: ReportRecording[];
  tasks: ReportTask[];
  /** Interactions per rep × customer × day: what the rep reported, and what has a record in the system. */
  touchpoints: Array<{ repId: string; customerId: string; day: string; reported: number; recorded: number }>;
  attitude: Array<{ customerId: string; repId: string; day: string; score: number; source: 'report' | 'conversation' }>;
  proposals: ReportProposal[];
  /** Standard dwell per open stage, in hours. */
  dwellStandards: Record<string, number>;
  /** Plain-language notes shown on every page. */
  notes: string[];
  /** Notes about how audio became text (e.g. reference transcripts), shown on the overview; recording pages say it per recording. */
  transcriptNotes?: string[];
}

export interface ReportRep {
  id: string;
  name: string;
  team: string | null;
  supervisorName: string | null;
  /** Only 'sales' staff appear as reps on the pages; managers and legal are people tasks point to. */
  title: string | null;
}

export interface ReportCustomer {
  id: string;
  name: string;
  customerType: string | null;
  contactRole: string | null;
}

export interface ReportLead {
  id: string;
  title: string;
  customerId: string | null;
  ownerId: string | null;
  stage: string;
  amount: number | null;
  history: Array<{ stage: string; at: Date; actor: string | null; evidence: ReportAttachment[] }>;
}

/** An evidence file on a lead; the static report copies it from storage, the API serves it by id. */
export interface ReportAttachment {
  id: string;
  kind: string;
  name: string;
  storageKey: string;
}

export interface ReportRecording {
  id: string;
  repId: string;
  leadId: string | null;
  customerId: string | null;
  recordedAt: Date;
  kind: 'transcript' | 'audio';
  status: string;
  originalName: string;
  transcriptSource: 'typed' | 'engine' | 'reference';
  /** Where the page's <audio> finds the normalized audio, or null. */
  audioHref: string | null;
  analysis: CallAnalysis | null;
}

export interface ReportTask {
  id: string;
  kind: string;
  title: string;
  repId: string | null;
  leadId: string | null;
  customerId: string | null;
  recordingId: string | null;
  segmentIndex: number | null;
  createdAt: Date;
  dueAt: Date | null;
  doneAt: Date | null;
  escalatedAt: Date | null;
  cancelled: boolean;
}

export interface ReportProposal {
  leadId: string;
  stage: string;
  at: Date;
  recordingId: string | null;
  segmentIndex: number | null;
  quote: string;
  status: 'pending' | 'confirmed' | 'rejected';
}
