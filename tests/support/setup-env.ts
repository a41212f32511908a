// Quiet logs in tests unless asked for: LOG_LEVEL=DEBUG npm test shows them.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'SILENT';
