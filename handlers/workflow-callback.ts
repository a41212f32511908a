import { createCallbackHandler } from '../lib/callback-handler';

/** Function URL for workflow callbacks (WorkflowFinish, or no EventName); job callbacks are accepted too. */
export const handler = createCallbackHandler('workflowCallback');
