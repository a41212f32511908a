/**
 * Where CI serves each job family's "describe one job" API, and the tags documented for it.
 * A callback's Tag picks the path tried first; the others follow while CI answers
 * NonExistJobIds, so a tag missing here costs extra lookups, never a wrong answer.
 */
export interface JobFamily {
  path: string;
  /** CI's API name, and the CAM action a sub-account key needs for it. */
  api: string;
  action: string;
  tags: readonly string[];
}

export const JOB_FAMILIES: readonly JobFamily[] = [
  {
    path: '/jobs',
    api: 'DescribeMediaJob',
    action: 'ci:DescribeMediaJob',
    tags: [
      'Transcode', 'Snapshot', 'Animation', 'SmartCover', 'Concat', 'VoiceSeparate', 'VideoMontage', 'SDRtoHDR',
      'DigitalWatermark', 'ExtractDigitalWatermark', 'VideoProcess', 'SuperResolution', 'Segment', 'Tts',
    ],
  },
  { path: '/ai_jobs', api: 'DescribeAIJob', action: 'ci:DescribeAiProcessJob', tags: ['WordsGeneralize', 'Translation'] },
  { path: '/asr_jobs', api: 'DescribeSpeechJob', action: 'ci:DescribeAsrJob', tags: ['SpeechRecognition'] },
  { path: '/doc_jobs', api: 'DescribeDocProcessJob', action: 'ci:DescribeDocProcessJob', tags: ['DocProcess'] },
  {
    path: '/file_jobs',
    api: 'DescribeFileProcessJob',
    action: 'ci:DescribeFileProcessJob',
    tags: ['FileHashCode', 'FileUncompress', 'FileCompress'],
  },
  { path: '/pic_jobs', api: 'DescribePicProcessJob', action: 'ci:DescribePicProcessJob', tags: ['PicProcess'] },
];

/** The paths to ask, in order: the tag's family first, then every other family. */
export function jobPathsFor(tag: string | null): string[] {
  const own = JOB_FAMILIES.find((family) => tag !== null && family.tags.includes(tag));
  const rest = JOB_FAMILIES.filter((family) => family !== own);
  return (own ? [own, ...rest] : rest).map((family) => family.path);
}
