import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * One structured JSON logger per container. The level comes from LOG_LEVEL (or
 * POWERTOOLS_LOG_LEVEL) in any case: passed as an option, Powertools accepts `debug`;
 * read by Powertools from the environment, it would silently take it for INFO.
 * The handler adds Lambda's context (request id) per invocation and resets keys after it.
 */
export const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME ?? 'ci-callback-receiver';

export const logger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL || 'INFO') as LogLevel,
});
