import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CallbackEvent } from '../events';
import { claimCheckKey, type ClaimCheck, type ClaimCheckStore } from '.';

/** Claim checks in the archive bucket, encrypted like the archived requests. IAM: s3:PutObject on `<bucket>/claim-checks/*`. */
export class S3ClaimCheckStore implements ClaimCheckStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(sink: string, event: CallbackEvent, json: string): Promise<ClaimCheck> {
    const key = claimCheckKey(sink, event);
    const body = Buffer.from(json, 'utf8');
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', ServerSideEncryption: 'AES256' }),
    );
    return { bucket: this.bucket, key, size: body.length };
  }
}
