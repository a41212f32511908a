import { localEvent } from '../lib/request';
import { goodSamples, loadEvent, sampleBody } from './support/fixtures';
import { testReceiver } from './support/receiver';

// What `serverless invoke local -p <file>` hands the handler: a Function URL event file as its
// object, raw XML as a string, a raw JSON body as its parsed object.
const asInvokeLocalInput = (body: string): unknown => (body.trimStart().startsWith('<') ? body : JSON.parse(body));

describe('locally, input that is not a Function URL event is the callback body', () => {
  test.each(goodSamples())('the raw body of %s is accepted like its Function URL event', async (name) => {
    const viaEvent = testReceiver();
    const viaBody = testReceiver();
    expect((await viaEvent.handler(loadEvent(name))).statusCode).toBe(200);
    expect((await viaBody.handler(asInvokeLocalInput(sampleBody(name)) as never)).statusCode).toBe(200);
    expect(viaBody.events().map((e) => e.id)).toEqual(viaEvent.events().map((e) => e.id));
  });

  test('a Function URL event, and an empty one, are left as they are', () => {
    const event = loadEvent('task-tts-xml');
    expect(localEvent(event)).toBe(event);
    expect(localEvent({})).toEqual({});
  });

  test('deployed, a string is not taken for a body: the Function URL always sends an event', async () => {
    const deployed = testReceiver({ AWS_LAMBDA_FUNCTION_NAME: 'taskCallback', CALLBACK_AUTH: 'none' });
    const res = await deployed.handler(sampleBody('task-tts-xml') as never);
    expect(res.statusCode).toBe(400);
    expect(deployed.events()).toEqual([]);
  });
});
