// Imported first by bench/run.ts: the logger and metrics read these when their modules load.
// The in-process figures measure the code, not a terminal scrolling log lines.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
