import type { CanonicalObject, CanonicalValue, OutputObject } from '../events';
import { asList, asObject, text } from '../parse/canonical';
import { cosLocation } from './cos-url';

/**
 * The objects CI wrote, read from the places its callbacks name them (documented per job type):
 * - media jobs (Transcode, Snapshot, Segment, Animation, SmartCover, Concat, Tts, …):
 *   `Operation/MediaResult/OutputFile` and its `SpriteOutputFile`, one object per `ObjectName`
 *   under `ObjectPrefix`, with the MD5 of the `Md5Info` that names the same object;
 * - image jobs (PicProcess): `Operation/PicProcessResult/ObjectName`;
 * - document jobs (DocProcess): `Operation/DocProcessResult/PageInfo/TgtUri`, one per page;
 * - any other job (Translation, NoiseReduction, …): the `Operation/Output` objects it was asked to
 *   write, unless they are patterns (`${Number}`, `${Page}`) that only a result list resolves.
 * In document order, without duplicates; a key never starts with `/` (COS keys do not).
 */
export function jobOutputs(operation: CanonicalObject): OutputObject[] {
  const outputs = asList(operation.Output).map(asObject).filter(isObject);
  const requested = outputs[0];
  const written = [
    ...mediaResultObjects(asObject(operation.MediaResult), requested),
    ...picProcessObjects(asObject(operation.PicProcessResult), requested),
    ...docProcessObjects(asObject(operation.DocProcessResult), requested),
  ];
  return unique(written.length > 0 ? written : outputs.flatMap(requestedObjects));
}

/** A workflow task's `ResultInfo/ObjectInfo`: bucket and region from the COS URL, else the run's bucket. */
export function taskOutputs(task: CanonicalObject, runBucket: string | null): OutputObject[] {
  const objects = asList(asObject(task.ResultInfo)?.ObjectInfo).map(asObject).filter(isObject);
  return unique(
    objects.flatMap((info) => {
      const key = text(info.ObjectName);
      const url = text(info.ObjectUrl);
      if (key === null && url === null) return [];
      const cos = cosLocation(url);
      return [output(cos?.bucket ?? runBucket, cos?.region ?? null, key === null ? keyOfUrl(url) : withoutLeadingSlash(key), url, null)];
    }),
  );
}

/** Every task's outputs, in task order, without duplicates. */
export function runOutputs(tasks: Array<{ outputs?: OutputObject[] }>): OutputObject[] {
  return unique(tasks.flatMap((t) => t.outputs ?? []));
}

function mediaResultObjects(mediaResult: CanonicalObject | undefined, requested: CanonicalObject | undefined): OutputObject[] {
  const files = asList(mediaResult?.OutputFile).map(asObject).filter(isObject);
  return files.flatMap((file) => [
    ...outputFileObjects(file, requested),
    ...asList(file.SpriteOutputFile)
      .map(asObject)
      .filter(isObject)
      .flatMap((sprite) => outputFileObjects(sprite, requested)),
  ]);
}

function outputFileObjects(file: CanonicalObject, requested: CanonicalObject | undefined): OutputObject[] {
  const prefix = text(file.ObjectPrefix) ?? '';
  const md5s = asList(file.Md5Info).map(asObject).filter(isObject);
  const bucket = text(file.Bucket) ?? text(requested?.Bucket);
  const region = text(file.Region) ?? text(requested?.Region);
  return texts(file.ObjectName).map((name) => {
    const key = withoutLeadingSlash(prefix + name);
    const md5 = md5s.find((info) => withoutLeadingSlash(text(info.ObjectName) ?? '') === key);
    return output(bucket, region, key, null, text(md5?.Md5));
  });
}

function picProcessObjects(result: CanonicalObject | undefined, requested: CanonicalObject | undefined): OutputObject[] {
  return texts(result?.ObjectName).map((name) => output(text(requested?.Bucket), text(requested?.Region), withoutLeadingSlash(name), null, null));
}

function docProcessObjects(result: CanonicalObject | undefined, requested: CanonicalObject | undefined): OutputObject[] {
  const pages = asList(result?.PageInfo).map(asObject).filter(isObject);
  return pages.flatMap((page) =>
    texts(page.TgtUri).map((uri) => output(text(requested?.Bucket), text(requested?.Region), withoutLeadingSlash(uri), null, null)),
  );
}

const PLACEHOLDER = /\$\{[^}]*\}/;

/** What a job was asked to write, where it names whole objects rather than patterns. */
function requestedObjects(requested: CanonicalObject): OutputObject[] {
  const keys = [
    ...texts(requested.Object),
    ...texts(requested.SpriteObject),
    ...texts(requested.AuObject),
    ...asList(requested.StreamExtract).flatMap((extract) => texts(asObject(extract)?.Object)),
  ];
  return keys
    .filter((key) => !PLACEHOLDER.test(key))
    .map((key) => output(text(requested.Bucket), text(requested.Region), withoutLeadingSlash(key), null, null));
}

function keyOfUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    return decodeURIComponent(new URL(url).pathname).replace(/^\//, '') || null;
  } catch {
    return null;
  }
}

function output(bucket: string | null, region: string | null, key: string | null, url: string | null, md5: string | null): OutputObject {
  return { bucket, region, key, url, md5 };
}

function unique(objects: OutputObject[]): OutputObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const identity = JSON.stringify([o.bucket, o.region, o.key, o.url]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

function texts(value: CanonicalValue | undefined): string[] {
  return asList(value)
    .map(text)
    .filter((t): t is string => t !== null);
}

const withoutLeadingSlash = (key: string) => key.replace(/^\/+/, '');
const isObject = (o: CanonicalObject | undefined): o is CanonicalObject => o !== undefined;
