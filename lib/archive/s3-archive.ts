import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { archiveKey, type ArchivedRequest, type RawArchive } from './archive';

/**
 * Deployed: one encrypted object per request it is given (by default only those not forwarded
 * everywhere: CALLBACK_ARCHIVE, ./keep-request.ts), the same JSON record the file archive writes.
 */
export class S3Archive implements RawArchive {
  readonly name = 's3';

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(record: ArchivedRequest): Promise<string> {
    const key = archiveKey(record);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(record),
        ContentType: 'application/json',
        ServerSideEncryption: 'AES256',
      }),
    );
    return `s3://${this.bucket}/${key}`;
  }
}
