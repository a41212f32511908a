export interface CosLocation {
  bucket: string;
  region: string;
  key: string | null;
}

// https://<BucketName-APPID>.cos.<Region>.myqcloud.com/<ObjectKey> (or .tencentcos.cn), COS's default domains.
const COS_HOST = /^([a-z0-9][a-z0-9-]*-\d+)\.cos\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)$/;

/**
 * Where a COS default-domain URL points: its bucket, region and key. A Simple moderation
 * callback names its object only so, and a workflow task its results. Any other URL (a CDN, a
 * live stream, `test_url`) is null.
 */
export function cosLocation(url: string | null): CosLocation | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = COS_HOST.exec(parsed.hostname);
  if (!host || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return null;
  const key = decodePath(parsed.pathname.slice(1));
  return { bucket: host[1], region: host[2], key: key === '' ? null : key };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
