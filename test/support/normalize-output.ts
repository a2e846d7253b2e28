// Two runs of the same script differ only in ids and timings. This masks exactly those,
// in the raw bytes (no re-serialisation), so that everything else can be compared byte for byte.

const VOLATILE_KEYS = [
  'session_id',
  'uuid',
  'logical_parent_uuid',
  'duration_ms',
  'duration_api_ms',
  'ttft_ms',
  'ttft_stream_ms',
  'time_to_request_ms',
  'request_id',
  'timestamp',
  'retry_delay_ms',
  'agentId',
  'task_id',
  'end_time',
  'totalDurationMs',
  'id',
  'durationMs',
  'cwd',
  'persistedOutputPath',
  'filePath',
  'file_path',
  'prompt_id',
  'output_file',
  // 2.1.332
  'first_content_frame_ms',
  'messaging_socket_path',
  'api_message_id',
  'run_id',
  'runId',
  // 2.1.337
  'written_at',
];
const KEY_PATTERN = new RegExp(`"(${VOLATILE_KEYS.join('|')})":(?:"(?:[^"\\\\]|\\\\.)*"|-?[\\d.eE+-]+)`, 'g');

export function normalizeOutput(text: string): string {
  return (
    text
      .replace(KEY_PATTERN, '"$1":"*"')
      .replace(/toolu_[A-Za-z0-9_]+/g, 'toolu_*')
      // The scripted API's message ids, as 2.1.332's results list them (begun_message_ids).
      .replace(/msg_stub[A-Za-z0-9]+/g, 'msg_*')
      .replace(/agentId: [a-z0-9]+/g, 'agentId: *')
      .replace(/duration_ms: \d+/g, 'duration_ms: *')
      .replace(/to: '[a-z0-9]+'/g, "to: '*'")
      // The sandbox, and (2.1.332) a background agent's output file under claude's own temporary directory.
      .replace(/\/tmp\/claude-(?:otel-|\d+\/)[^"\\\s]*/g, '/tmp/*')
  );
}
