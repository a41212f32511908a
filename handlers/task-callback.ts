import { createCallbackHandler } from '../lib/callback-handler';

/** Function URL for job callbacks (EventName TaskFinish); workflow callbacks are accepted too. */
export const handler = createCallbackHandler('taskCallback');
