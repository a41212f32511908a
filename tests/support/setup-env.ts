// Quiet logs in tests unless asked for: LOG_LEVEL=DEBUG npm test shows them.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'SILENT';
// EMF lines would clutter the test output; tests/observability.test.ts turns them on to read them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
