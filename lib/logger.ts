import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * One structured JSON logger per container. The level comes from LOG_LEVEL (or
 * POWERTOOLS_LOG_LEVEL), in any case: Powertools itself reads only upper case, so
 * `LOG_LEVEL=debug` would silently mean INFO. The handler adds Lambda's context
 * (request id) per invocation and resets per-invocation keys afterwards.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ci-callback-receiver',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL || 'INFO').toUpperCase() as LogLevel,
});
