// The `secrets` param: where the functions read their secrets at cold start instead of from
// plain environment variables (lib/secrets/ reads them; this file grants the read).
//
//   ssm:/ci-receiver/prod          SSM Parameter Store: SecureString parameters named after the
//                                  variables, /ci-receiver/prod/CALLBACK_TOKEN, …/DATABASE_URL
//   secretsmanager:ci-receiver/prod  Secrets Manager: one secret, a JSON object keyed by the
//                                  variable names (a name, or the secret's full ARN)
//
// The grant covers exactly those parameters or that secret; kms:Decrypt only for a customer
// managed key named by `secretsKmsKeyArn` (the AWS managed keys need no grant in the role).

// The variables a secret store may hold (lib/secrets/source.ts has the same list).
const SECRET_VARIABLES = ['CALLBACK_TOKEN', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'DATABASE_URL'];
const SSM_PATH = /^\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.-]$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/** The IAM statements reading the store the `secrets` param names; [] without it. */
function secretStatements(secrets, kmsKeyArn, region) {
  if (!secrets) {
    if (kmsKeyArn) throw new Error('secretsKmsKeyArn is set without secrets: name the store with --param="secrets=ssm:/path"');
    return [];
  }
  const statements = [readStatement(secrets, region)];
  if (kmsKeyArn) {
    if (!KMS_KEY_ARN.test(kmsKeyArn)) throw new Error(`secretsKmsKeyArn "${kmsKeyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
    const service = secrets.startsWith('ssm:') ? 'ssm' : 'secretsmanager';
    statements.push({
      Sid: 'DecryptSecrets',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: kmsKeyArn,
      // Only to decrypt what the store hands over, never a direct call.
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': `${service}.\${AWS::Region}.amazonaws.com` } } },
    });
  }
  return statements;
}

function readStatement(secrets, region) {
  if (secrets.startsWith('ssm:')) {
    const path = secrets.slice('ssm:'.length);
    if (!SSM_PATH.test(path)) throw new Error(`secrets "${secrets}": an SSM path starts with / (ssm:/ci-receiver/prod)`);
    const arns = SECRET_VARIABLES.map((name) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${path}/${name}`,
    }));
    return { Sid: 'ReadSecretParameters', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: arns };
  }
  if (secrets.startsWith('secretsmanager:')) {
    const id = secrets.slice('secretsmanager:'.length);
    const arn = SECRET_ARN.exec(id);
    if (arn && arn[1] !== region) throw new Error(`secrets is in ${arn[1]}; the functions deploy to ${region}: use a secret in ${region}`);
    if (!arn && !SECRET_NAME.test(id)) throw new Error(`secrets "${secrets}": not a Secrets Manager secret name or ARN`);
    // A secret's ARN ends in - and six random characters.
    const resource = arn ? id : { 'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${id}-??????` };
    return { Sid: 'ReadSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: resource };
  }
  throw new Error(`secrets "${secrets}" names no store: ssm:/<path> or secretsmanager:<name>`);
}

module.exports = { secretStatements, SECRET_VARIABLES };
