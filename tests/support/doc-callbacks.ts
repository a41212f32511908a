/**
 * The translation job callback of Tencent's docs (翻译任务回调). Not a sample in events/: the docs
 * reuse the JobId of their word-segmentation job (task-words-xml) for it, which the fake CI of
 * tests/verify.test.ts cannot serve as two jobs.
 */
export const TRANSLATION_CALLBACK =
  '<Response><EventName>TaskFinish</EventName><JobsDetail><Code>Success</Code><CreationTime>2022-07-25T16:35:39+0800</CreationTime><EndTime>2022-07-25T16:35:43+0800</EndTime><Input><Object>input/en.pdf</Object><Lang>en</Lang><Type>pdf</Type><BasicType>pptx</BasicType></Input><JobId>ac34be3aa0bf411ed9ce39d7cc972e427</JobId><Message>Success</Message><Operation><Output><Region>ap-chongqing</Region><Bucket>test-123456789</Bucket><Object>output/zh.pdf</Object></Output><Translation><Lang>en</Lang><Type>txt</Type></Translation><UserData>This is my Translation job.</UserData><JobLevel>0</JobLevel></Operation><QueueId>pbde29b842b1b4e2ea4f0b20d264fcec2</QueueId><StartTime>2022-07-25T16:35:39+0800</StartTime><State>Success</State><Tag>Translation</Tag></JobsDetail></Response>';
