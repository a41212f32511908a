/**
 * Claim checks: an event too large for a sink (an SQS message over 256 KiB, a DynamoDB item
 * over 400 KB) is stored whole in the archive bucket, and the message or item carries where
 * and how large. The SQS form is the one of the SQS Extended Client libraries (Java, Python,
 * JS): the body `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName",
 * "s3Key"}]` and a Number message attribute `ExtendedPayloadSize`, so their consumers read
 * these messages as they are. Pure: the S3 side is ./s3-store.
 */
import type { CallbackEvent } from '../events';

/** Where the payloads go in the archive bucket: apart from the archived requests (`YYYY/…`). */
export const CLAIM_CHECK_PREFIX = 'claim-checks/';
const PAYLOAD_POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
export const PAYLOAD_SIZE_ATTRIBUTE = 'ExtendedPayloadSize';

/** Where an event's payload was put, and its size in bytes (UTF-8). */
export interface ClaimCheck {
  bucket: string;
  key: string;
  size: number;
}

/** Port: stores an event's JSON and tells where. Storing the same event again overwrites the same object. */
export interface ClaimCheckStore {
  put(sink: string, event: CallbackEvent, json: string): Promise<ClaimCheck>;
}

/**
 * One object per sink and event id, `claim-checks/<sink>/<event id>.json`: a redelivery
 * overwrites it with the same bytes, and an extended-client consumer that deletes the object
 * with its message does not take the DynamoDB item's payload with it.
 */
export const claimCheckKey = (sink: string, event: CallbackEvent) => `${CLAIM_CHECK_PREFIX}${sink}/${event.id}.json`;

/** The SQS Extended Client message body for a claim check. */
export function pointerBody(check: ClaimCheck): string {
  return JSON.stringify([PAYLOAD_POINTER_CLASS, { s3BucketName: check.bucket, s3Key: check.key }]);
}

/** The bucket and key of an extended-client message body; undefined when the body is not one. */
export function parsePointerBody(body: string): { bucket: string; key: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== PAYLOAD_POINTER_CLASS) return undefined;
  const { s3BucketName, s3Key } = (value[1] ?? {}) as { s3BucketName?: unknown; s3Key?: unknown };
  return typeof s3BucketName === 'string' && typeof s3Key === 'string' ? { bucket: s3BucketName, key: s3Key } : undefined;
}
