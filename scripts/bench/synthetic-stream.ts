// A long print-mode session in stream-json, built from the line shapes of a recorded one
// (test/fixtures/streams/three-tools.jsonl: claude 2.1.197 with --verbose
// --include-partial-messages): the recorded Bash and Read turns repeated with new ids and
// large outputs, then the recorded final answer and result. One tool call per turn, the
// 12 lines claude writes for it: status, message_start, content_block_start, four
// input_json_delta, assistant, content_block_stop, message_delta, message_stop, user.

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(value: Json, key: string): Json {
  const next = value[key];
  if (!isJson(next)) throw new Error(`recorded stream: no object at "${key}"`);
  return next;
}

function firstContent(line: Json): Json {
  const content = child(line, 'message').content;
  const first: unknown = Array.isArray(content) ? content[0] : undefined;
  if (!isJson(first)) throw new Error('recorded stream: a message without content');
  return first;
}

interface Templates {
  init: Json;
  status: Json;
  messageStart: Json;
  blockStart: Record<ToolName, Json>;
  inputDelta: Json;
  assistant: Record<ToolName, Json>;
  blockStop: Json;
  toolMessageDelta: Json;
  messageStop: Json;
  result: Record<ToolName, Json>;
  /** The final answer and the result line, as recorded. */
  ending: string[];
}

type ToolName = 'Bash' | 'Read';
const TOOLS: readonly ToolName[] = ['Bash', 'Read'];

function templatesFrom(recorded: string): Templates {
  const raw = recorded.trimEnd().split('\n');
  const lines = raw.map((line): Json => {
    const value: unknown = JSON.parse(line);
    if (!isJson(value)) throw new Error('recorded stream: a line that is not an object');
    return value;
  });
  const find = (what: string, test: (line: Json) => boolean): Json => {
    const found = lines.find(test);
    if (!found) throw new Error(`recorded stream: no ${what} line`);
    return found;
  };
  const event = (line: Json): Json => (isJson(line.event) ? line.event : {});
  const toolUse = (line: Json, name: ToolName) => line.type === 'assistant' && firstContent(line).type === 'tool_use' && firstContent(line).name === name;
  const toolId = (name: ToolName) => String(firstContent(find(`${name} assistant`, (l) => toolUse(l, name))).id);
  const resultFor = (name: ToolName) => find(`${name} tool_result`, (l) => l.type === 'user' && firstContent(l).tool_use_id === toolId(name));
  const blockStartFor = (name: ToolName) =>
    find(
      `${name} content_block_start`,
      (l) => event(l).type === 'content_block_start' && isJson(event(l).content_block) && child(event(l), 'content_block').name === name,
    );
  const lastStatus = raw.length - 1 - [...lines].reverse().findIndex((l) => l.type === 'system' && l.subtype === 'status');
  return {
    init: find('init', (l) => l.type === 'system' && l.subtype === 'init'),
    status: find('status', (l) => l.type === 'system' && l.subtype === 'status'),
    messageStart: find('message_start', (l) => event(l).type === 'message_start'),
    blockStart: { Bash: blockStartFor('Bash'), Read: blockStartFor('Read') },
    inputDelta: find(
      'input_json_delta',
      (l) => event(l).type === 'content_block_delta' && isJson(event(l).delta) && child(event(l), 'delta').type === 'input_json_delta',
    ),
    assistant: { Bash: find('Bash assistant', (l) => toolUse(l, 'Bash')), Read: find('Read assistant', (l) => toolUse(l, 'Read')) },
    blockStop: find('content_block_stop', (l) => event(l).type === 'content_block_stop'),
    toolMessageDelta: find(
      'message_delta',
      (l) => event(l).type === 'message_delta' && isJson(event(l).delta) && child(event(l), 'delta').stop_reason === 'tool_use',
    ),
    messageStop: find('message_stop', (l) => event(l).type === 'message_stop'),
    result: { Bash: resultFor('Bash'), Read: resultFor('Read') },
    ending: raw.slice(lastStatus),
  };
}

/** Text like a build log or a source file: numbered lines of about 100 characters. */
function outputText(call: number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const line = `[${call}:${String(n).padStart(5, '0')}] compiling module src/feature-${n % 97}/index.ts (${(n * 7919) % 100_000} bytes) ok`;
    const padded = line.padEnd(99, '.');
    lines.push(padded);
    size += padded.length + 1;
  }
  return lines.join('\n');
}

/** Read's output: the file's lines, numbered the way the tool numbers them. */
function numbered(text: string): string {
  return text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(6)}\t${line}`)
    .join('\n');
}

function pieces(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface SyntheticStreamOptions {
  toolCalls: number;
  /** About how large each tool's output is. */
  outputBytes: number;
}

export interface SyntheticStream {
  text: string;
  lines: number;
  bytes: number;
}

export function buildSyntheticStream(recorded: string, options: SyntheticStreamOptions): SyntheticStream {
  const t = templatesFrom(recorded);
  const cwd = typeof t.init.cwd === 'string' ? t.init.cwd : '/home/user/project';
  const started = Date.now();
  let uuids = 0;
  const stamp = (template: Json, changes: (copy: Json) => void): string => {
    const copy = structuredClone(template);
    if ('uuid' in copy) copy.uuid = `00000000-0000-4000-8000-${(++uuids).toString(16).padStart(12, '0')}`;
    changes(copy);
    return JSON.stringify(copy);
  };
  const out: string[] = [JSON.stringify(t.init)];
  for (let call = 1; call <= options.toolCalls; call++) {
    const name = TOOLS[(call - 1) % TOOLS.length] ?? 'Bash';
    const id = `toolu_bench${String(call).padStart(6, '0')}`;
    const messageId = `msg_bench${String(call).padStart(16, '0')}`;
    const file = `${cwd}/build-${call}.log`;
    const input: Json = name === 'Bash' ? { command: `cat build-${call}.log`, description: 'show the build log' } : { file_path: file };
    const output = outputText(call, options.outputBytes);
    out.push(stamp(t.status, () => undefined));
    out.push(stamp(t.messageStart, (l) => void (child(child(l, 'event'), 'message').id = messageId)));
    // The only content block of its message: index 0.
    out.push(
      stamp(t.blockStart[name], (l) => {
        child(l, 'event').index = 0;
        child(child(l, 'event'), 'content_block').id = id;
      }),
    );
    for (const piece of ['', ...pieces(JSON.stringify(input), 3)]) {
      out.push(
        stamp(t.inputDelta, (l) => {
          child(l, 'event').index = 0;
          child(child(l, 'event'), 'delta').partial_json = piece;
        }),
      );
    }
    out.push(
      stamp(t.assistant[name], (l) => {
        const message = child(l, 'message');
        message.id = messageId;
        message.content = [{ type: 'tool_use', id, name, input }];
      }),
    );
    out.push(stamp(t.blockStop, (l) => void (child(l, 'event').index = 0)));
    out.push(stamp(t.toolMessageDelta, () => undefined));
    out.push(stamp(t.messageStop, () => undefined));
    out.push(
      stamp(t.result[name], (l) => {
        l.timestamp = new Date(started + call * 50).toISOString();
        if (name === 'Bash') {
          child(l, 'message').content = [{ tool_use_id: id, type: 'tool_result', content: output, is_error: false }];
          l.tool_use_result = { ...child(l, 'tool_use_result'), stdout: output };
        } else {
          const lines = output.split('\n').length;
          child(l, 'message').content = [{ tool_use_id: id, type: 'tool_result', content: numbered(output) }];
          l.tool_use_result = { type: 'text', file: { filePath: file, content: output, numLines: lines, startLine: 1, totalLines: lines } };
        }
      }),
    );
  }
  out.push(...t.ending);
  const text = `${out.join('\n')}\n`;
  return { text, lines: out.length, bytes: Buffer.byteLength(text) };
}
