import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// A claude that runs any number of tool calls in no time: a Node script that writes a recorded
// print session (formats/three-tools.stream-json-verbose.jsonl, 2.1.197) with its first Bash
// call repeated `calls` times, each with its own tool and message id, as fast as the pipe takes
// it. For what the real CLI cannot be driven through in a test (tens of thousands of calls, a
// million), not for how claude behaves.

const RECORDED = readFileSync(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8')
  .trimEnd()
  .split('\n');

function recordedLine(index: number, check: string): string {
  const line = RECORDED[index];
  if (!line?.includes(check)) throw new Error(`three-tools.stream-json-verbose.jsonl: line ${index + 1} is not the one expected (${check})`);
  return line;
}

export async function writeManyToolsClaude(dir: string, calls: number, name = 'many-tools-claude'): Promise<string> {
  const init = recordedLine(0, '"subtype":"init"');
  const call = recordedLine(2, '"id":"toolu_1","name":"Bash"');
  const result = recordedLine(4, '"tool_use_id":"toolu_1"');
  const ending = [recordedLine(8, '"text":"All done."'), recordedLine(9, '"type":"result"')];
  const messageId = /"id":"(msg_[A-Za-z0-9]+)"/.exec(call)?.[1];
  if (!messageId) throw new Error('three-tools.stream-json-verbose.jsonl: the Bash call has no message id');
  const script = `#!${process.execPath}
const [init, call, result, ending, messageId, calls] = ${JSON.stringify([init, call, result, ending.join('\n'), messageId, calls])};
const out = process.stdout;
out.write(init + '\\n');
let n = 0;
function more() {
  while (n < calls) {
    n += 1;
    const id = 'toolu_' + n;
    const lines = call.replace('"toolu_1"', JSON.stringify(id)).replace(messageId, 'msg_many' + n) + '\\n' + result.replace('"toolu_1"', JSON.stringify(id)) + '\\n';
    if (!out.write(lines)) return void out.once('drain', more);
  }
  out.write(ending + '\\n');
}
more();
`;
  const path = join(dir, name);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}
