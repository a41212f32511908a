/**
 * Where CI keeps the callbacks of a bucket, from Tencent's API documentation (数据万象 API,
 * "搜索/查询…队列", "更新…队列", "搜索工作流", "更新工作流"; English: "Searching for Media
 * Processing Queue", "Updating Queue", "Querying Workflow", "Updating Workflow"):
 *
 * | what                      | list (paged: pageNumber from 1, pageSize, default 10) | update                 | events it supports         | CAM actions                                              |
 * |---------------------------|--------------------------------------------------------|------------------------|----------------------------|----------------------------------------------------------|
 * | media processing queues   | `GET /queue?category=CateAll` (DescribeMediaQueues)    | `PUT /queue/<id>`      | TaskFinish, WorkflowFinish | ci:DescribeMediaQueues, ci:UpdateMediaQueue              |
 * | picture processing queues | `GET /picqueue` (DescribePicProcessQueues)             | `PUT /picqueue/<id>`   | TaskFinish, WorkflowFinish | ci:DescribePicProcessQueues, ci:UpdatePicProcessQueue    |
 * | AI recognition queues     | `GET /ai_queue` (DescribeAiProcessQueues)              | `PUT /ai_queue/<id>`   | TaskFinish, WorkflowFinish | ci:DescribeAiProcessQueues, ci:UpdateAiProcessQueue      |
 * | speech recognition queues | `GET /asrqueue` (DescribeSpeechQueues)                 | `PUT /asrqueue/<id>`   | TaskFinish                 | ci:DescribeSpeechQueues, ci:UpdateSpeechQueue            |
 * | document queues           | `GET /docqueue` (DescribeDocProcessQueues)             | `PUT /docqueue/<id>`   | TaskFinish                 | ci:DescribeDocProcessQueues, ci:UpdateDocProcessQueue    |
 * | file processing queues    | `GET /file_queue` (DescribeFileProcessQueues)          | `PUT /file_queue/<id>` | TaskFinish, WorkflowFinish | ci:DescribeFileProcessQueues, ci:UpdateFileProcessQueue  |
 * | workflows                 | `GET /workflow` (DescribeMediaWorkflows)               | `PUT /workflow/<id>`   | TaskFinish, WorkflowFinish | ci:DescribeMediaWorkflows, ci:UpdateMediaWorkflow        |
 *
 * - Media queues: `category` is CateAll (every kind), Transcoding (the default when absent) or
 *   SpeedTranscoding; without CateAll the speed-transcoding queues would be missed.
 * - Queue lists answer `<Response><TotalCount/><PageNumber/><PageSize/><QueueList>…</QueueList>…`,
 *   one `QueueList` element per queue, each with `QueueId`, `Name`, `State`, `NotifyConfig`
 *   (`State` On|Off, `Type` Url|TDMQ, `Url`, `Event` comma separated, `ResultFormat` XML|JSON,
 *   `MqMode`, `MqRegion`, `MqName` for TDMQ), `Category`, `MaxSize`, ….
 * - Queue updates take `<Request><Name/><State/><NotifyConfig/></Request>`; the speech and document
 *   queue updates document `QueueID` in the body as well.
 * - Speech and document queues document one event only (speech: "回调事件", sample `TaskFinish`;
 *   document: "文档预览任务完成"): they run no workflows.
 * - Workflow lists answer `<MediaWorkflowList>` per workflow (`WorkflowId`, `Name`, `State`,
 *   `Topology`); the callback is the start node's `Topology/Nodes/Start/Input/NotifyConfig`, with the
 *   same fields as a queue's. Updates take `<Request><MediaWorkflow><Name/><State/><Topology/></MediaWorkflow></Request>`.
 */

export interface QueueType {
  /** Short name printed before each queue. */
  label: string;
  /** List and update path: `GET <path>`, `PUT <path>/<id>`. */
  path: string;
  /** Extra query parameters of the list request. */
  listQuery: Record<string, string>;
  /** NotifyConfig.Event to set: every event the type documents. */
  events: readonly string[];
  /** Whether the update body carries `QueueID` as its documentation shows. */
  queueIdInBody: boolean;
}

export const QUEUE_TYPES: readonly QueueType[] = [
  { label: 'media', path: '/queue', listQuery: { category: 'CateAll' }, events: ['TaskFinish', 'WorkflowFinish'], queueIdInBody: false },
  { label: 'picture', path: '/picqueue', listQuery: {}, events: ['TaskFinish', 'WorkflowFinish'], queueIdInBody: false },
  { label: 'ai', path: '/ai_queue', listQuery: {}, events: ['TaskFinish', 'WorkflowFinish'], queueIdInBody: false },
  { label: 'speech', path: '/asrqueue', listQuery: {}, events: ['TaskFinish'], queueIdInBody: true },
  { label: 'document', path: '/docqueue', listQuery: {}, events: ['TaskFinish'], queueIdInBody: true },
  { label: 'file', path: '/file_queue', listQuery: {}, events: ['TaskFinish', 'WorkflowFinish'], queueIdInBody: false },
];

export const WORKFLOWS = { label: 'workflow', path: '/workflow', events: ['TaskFinish', 'WorkflowFinish'] } as const;

/** Items per list request, CI's own default. */
export const PAGE_SIZE = 10;
