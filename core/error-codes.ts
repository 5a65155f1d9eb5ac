/**
 * Every error code the product reports (API bodies, CLI results, failed recordings and mining runs): a closed list,
 * so a typo is a compile error and the docs can list them all. Grouped by where they arise.
 */
export const ERROR_CODES = [
  // Files and transcripts (analyze/, ingest/, cli/)
  'file_not_found', 'permission_denied', 'is_directory', 'not_a_file', 'empty_file', 'not_text', 'unknown_extension',
  'file_too_large', 'line_too_long', 'invalid_transcript', 'invalid_json', 'empty_transcript',
  // Audio (transcribe/)
  'not_audio', 'unsupported_codec', 'decode_failed', 'too_long', 'ffmpeg_timeout', 'ffmpeg_not_found', 'no_model',
  'bad_model', 'unknown_model', 'download_failed', 'checksum_mismatch', 'network_unavailable', 'whisper_not_found',
  'whisper_build_failed', 'transcribe_timeout', 'vad_model_missing',
  // Data files shipped with the product (lexicons/)
  'lexicon_invalid', 'lexicon_not_loaded', 'coaching_templates_invalid',
  // Storage and queues
  'bad_storage_key', 'queue_unavailable', 'database_unavailable',
  // Pipeline (workers/)
  'not_normalized', 'no_transcript', 'stage_failed', 'mining_failed',
  // Mining (patterns/)
  'invalid_top_share', 'invalid_mining_option', 'invalid_evidence', 'input_not_found', 'mining_result_outdated',
  // Leads (leads/)
  'invalid_stage_transition', 'checkpoint_failed', 'proposal_decided', 'invalid_attachment_kind', 'invalid_dwell_standard',
  'invalid_attitude_score', 'invalid_interactions', 'invalid_day', 'invalid_period', 'invalid_excel', 'invalid_daily_report',
  'invalid_successor', 'successor_inactive', 'no_analysis', 'task_closed',
  // Not found
  'recording_not_found', 'lead_not_found', 'rep_not_found', 'customer_not_found', 'successor_not_found', 'task_not_found',
  'proposal_not_found', 'handover_not_found', 'webhook_not_found', 'mining_run_not_found', 'no_mining_run',
  'report_page_not_found', 'attachment_not_found', 'tenant_not_found', 'key_not_found', 'route_not_found', 'audio_not_available',
  // Conflicts
  'rep_exists', 'customer_exists', 'lead_exists', 'not_analyzed',
  // HTTP and CLI input
  'validation_error', 'bad_request', 'missing_file', 'not_multipart', 'range_not_satisfiable', 'unauthorized', 'forbidden',
  'invalid_option', 'invalid_date', 'tenant_required', 'needs_postgres',
  'invalid_file_name', 'multipart_boundary_missing', 'multipart_truncated', 'too_many_files', 'too_many_fields',
  'invalid_recorded_at', 'request_timeout', 'invalid_crm_id',
  // Security (docs/security.md)
  'url_not_allowed', 'too_many_attempts', 'secret_key_missing', 'secret_unreadable', 'database_locked', 'not_owner',
  'customer_has_data', 'rep_has_data', 'audio_purged', 'invalid_retention', 'no_original',
  // 销售日报 imports
  'excel_too_large', 'excel_too_many_rows', 'cell_too_long', 'import_not_found', 'missing_rep', 'missing_customer',
  // Anything unexpected (its details stay in the log)
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && (ERROR_CODES as readonly string[]).includes(s);
}
