// The operational params: alarms and who hears them, reserved concurrency, a private network
// for PostgreSQL, and how long the archive keeps bodies. Read by deploy/stack.js; no AWS calls.
//
//   alarms               `false`: no alarms (default on: the DLQ, 5xx answers, throttles, errors)
//   alarmEmail           an address subscribed to a topic the stack creates for the alarms
//   alarmTopicArn        an existing SNS topic for the alarms instead
//   reservedConcurrency  concurrent executions reserved for (and limiting) each function
//   vpcSubnetIds, vpcSecurityGroupIds   comma separated: run the functions in these subnets
//   archiveRetentionDays days the archive bucket keeps a body (and a replaced or deleted version)

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;

function alarmSettings({ alarms, alarmEmail, alarmTopicArn }) {
  if (!['', 'true', 'false'].includes(alarms)) throw new Error(`alarms must be true or false, got "${alarms}"`);
  const on = alarms !== 'false';
  if (alarmEmail && alarmTopicArn) throw new Error('alarmEmail and alarmTopicArn: choose one');
  if (alarmEmail && !EMAIL.test(alarmEmail)) throw new Error(`alarmEmail "${alarmEmail}" is not an email address`);
  if (alarmTopicArn && !TOPIC_ARN.test(alarmTopicArn)) throw new Error(`alarmTopicArn "${alarmTopicArn}" is not an SNS topic ARN`);
  if (!on && (alarmEmail || alarmTopicArn)) throw new Error('alarms=false with alarmEmail or alarmTopicArn: nothing would be sent');
  const createTopic = on && Boolean(alarmEmail);
  return {
    createAlarms: String(on),
    createAlarmTopic: String(createTopic),
    alarmEmail,
    // Alarm and OK notifications go to the same place; none without a topic.
    alarmActions: createTopic ? [{ Ref: 'AlarmTopic' }] : alarmTopicArn ? [alarmTopicArn] : [],
  };
}

/** CloudFormation's ReservedConcurrentExecutions, or no value: the account's pool. */
function reservedConcurrency(value) {
  if (!value) return { Ref: 'AWS::NoValue' };
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`reservedConcurrency must be a positive integer, got "${value}"`);
  return n;
}

/** The functions' VpcConfig and the network-interface rights Lambda needs to attach them. */
function vpcSettings({ vpcSubnetIds, vpcSecurityGroupIds }) {
  const subnets = ids(vpcSubnetIds);
  const groups = ids(vpcSecurityGroupIds);
  if (subnets.length === 0 && groups.length === 0) return { vpcConfig: { Ref: 'AWS::NoValue' }, statements: [] };
  if (subnets.length === 0 || groups.length === 0) throw new Error('a VPC needs both vpcSubnetIds and vpcSecurityGroupIds');
  const badSubnet = subnets.find((id) => !SUBNET.test(id));
  if (badSubnet) throw new Error(`vpcSubnetIds: "${badSubnet}" is not a subnet id (subnet-…)`);
  const badGroup = groups.find((id) => !SECURITY_GROUP.test(id));
  if (badGroup) throw new Error(`vpcSecurityGroupIds: "${badGroup}" is not a security group id (sg-…)`);
  return {
    vpcConfig: { SubnetIds: subnets, SecurityGroupIds: groups },
    // What AWSLambdaVPCAccessExecutionRole grants; EC2 allows these only on every resource.
    statements: [
      {
        Sid: 'AttachToVpc',
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  };
}

/** The archive bucket's lifecycle: none (kept forever), or expiry after that many days. */
function archiveLifecycle(value) {
  if (!value) return { Ref: 'AWS::NoValue' };
  const days = Number(value);
  if (!Number.isSafeInteger(days) || days < 1) throw new Error(`archiveRetentionDays must be a positive integer, got "${value}"`);
  return {
    Rules: [
      {
        Id: 'ArchiveRetention',
        Status: 'Enabled',
        ExpirationInDays: days,
        // Versioning keeps an overwritten or deleted body; it goes the same number of days later.
        NoncurrentVersionExpiration: { NoncurrentDays: days },
      },
    ],
  };
}

function ids(value) {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

module.exports = { alarmSettings, reservedConcurrency, vpcSettings, archiveLifecycle };
