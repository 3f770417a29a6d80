/**
 * Intake from where the data already is, ahead of {@code ingest}: OpenTelemetry GenAI spans (OTLP/HTTP), the
 * LiteLLM proxy's per-call log, and bulk files of history. Each source maps its items to {@link
 * dev.aiusage.intake.Candidate}s (a call, a failed call, or a refusal naming the field), and {@link
 * dev.aiusage.intake.IntakeService} hands the calls to {@link dev.aiusage.ingest.IngestService} and keeps the failures apart.
 */
package dev.aiusage.intake;
