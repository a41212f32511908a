import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per container. The level comes from LOG_LEVEL
 * (or POWERTOOLS_LOG_LEVEL); Lambda's request id is added per invocation.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ci-callback-receiver' });
