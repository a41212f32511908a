// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localEnvironment } = require('../deploy/invoke-local.js');

describe('invoke local: what only the deployed stack has gives way to local files', () => {
  test('the default stage: the queue, table and bucket the stack creates become the file sink and the local archive', () => {
    const { environment, replaced } = localEnvironment({
      CALLBACK_SINKS: 'sqs,dynamodb',
      SQS_QUEUE_URL: { Ref: 'EventsQueue' },
      DYNAMODB_TABLE: { Ref: 'EventsTable' },
      ARCHIVE_BUCKET: { Ref: 'ArchiveBucket' },
      DATABASE_URL: '',
      CALLBACK_TOKEN: '',
    });
    expect(replaced).toEqual(['SQS_QUEUE_URL', 'DYNAMODB_TABLE', 'ARCHIVE_BUCKET']);
    expect(environment).toMatchObject({ CALLBACK_SINKS: 'file', SQS_QUEUE_URL: '', DYNAMODB_TABLE: '', ARCHIVE_BUCKET: '' });
  });

  test('resources a param names are plain strings and are kept, with their sinks', () => {
    const configured = {
      CALLBACK_SINKS: 'sqs,dynamodb,log',
      SQS_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/mine.fifo',
      DYNAMODB_TABLE: { Ref: 'EventsTable' },
      ARCHIVE_BUCKET: 'their-bucket',
    };
    const { environment } = localEnvironment(configured);
    expect(environment).toMatchObject({ CALLBACK_SINKS: 'sqs,file,log', SQS_QUEUE_URL: configured.SQS_QUEUE_URL, DYNAMODB_TABLE: '', ARCHIVE_BUCKET: 'their-bucket' });
  });

  test('any CloudFormation intrinsic counts (GetAtt, ImportValue, Sub), not a plain object key', () => {
    const { replaced } = localEnvironment({ A: { 'Fn::GetAtt': ['X', 'Arn'] }, B: { 'Fn::ImportValue': 'x' }, C: { 'Fn::Sub': '${X}' }, D: 'plain' });
    expect(replaced).toEqual(['A', 'B', 'C']);
  });
});
