import { chatModel, isErrorSpan, isPlaceholderCall, numberAttr, spanRole, spanTokens, stringAttr } from './stored-spans.ts';
import type { SpanRole, StoredSpan, StoredSpanEvent } from './stored-spans.ts';
import type { TokenUsage } from '../../session/events.ts';
import { COMPACTION_EVENT, isRebuild } from './money-and-time.ts';
import { formatCount } from '../display-format.ts';
import {
  ATTR_CLAUDE_COMPACTION_POST_TOKENS,
  ATTR_CLAUDE_COMPACTION_PRE_TOKENS,
  ATTR_CLAUDE_COMPACTION_TRIGGER,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_TOOL_ERROR_MESSAGE,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INPUT_SUMMARY,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_DESCRIPTION,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_PROCESS_EXIT_CODE,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  operationTarget,
} from '../../telemetry/names.ts';

// A session's spans as a waterfall: the span tree with times relative to the session's start,
// and the rows to draw, each with its place in the tree and its bar. Pure, so the terminal
// and the HTML report draw the same thing.

/** Said instead of a waterfall when a session has no stored span. */
export const NO_SPANS = 'no spans stored for this session (sampling may have dropped them, or a damaged chunk was skipped)';

export interface WaterfallNode {
  spanId: string;
  /** A span's role, or `compaction`: a compaction event, drawn as a row of its own at its time. */
  role: SpanRole | 'compaction';
  name: string;
  /** What a person reads first: `prompt 1`, `chat claude-opus-4-8`, `Bash`, `agent general-purpose`. */
  label: string;
  /** The tool's input summary, the prompt's preview, the subagent's task. */
  detail?: string;
  startOffsetMs: number;
  durationMs: number;
  isError: boolean;
  /** Why it failed, when it did. */
  error?: string;
  exitCode?: number;
  tokens?: TokenUsage;
  costUsd?: number;
  /** A model call that wrote the whole context to the cache again after the cache expired. */
  rebuild?: boolean;
  children: WaterfallNode[];
}

/** Written before a rebuild call's label (where clipping cannot take it). */
export const REBUILD_MARK = '[cache rebuild]';

function compactionNode(span: StoredSpan, event: StoredSpanEvent, index: number, originMs: number): WaterfallNode {
  const trigger = event.attributes[ATTR_CLAUDE_COMPACTION_TRIGGER];
  const before = event.attributes[ATTR_CLAUDE_COMPACTION_PRE_TOKENS];
  const after = event.attributes[ATTR_CLAUDE_COMPACTION_POST_TOKENS];
  const tokens = typeof before === 'number' ? `${formatCount(before)} → ${typeof after === 'number' ? formatCount(after) : '?'} tokens` : undefined;
  const detail = [typeof trigger === 'string' ? trigger : undefined, tokens].filter((p): p is string => p !== undefined).join(', ');
  return {
    spanId: `${span.spanId}/compaction-${index}`,
    role: 'compaction',
    name: COMPACTION_EVENT,
    label: '◆ compaction',
    ...(detail ? { detail } : {}),
    startOffsetMs: Math.max(0, event.timeMs - originMs),
    durationMs: 0,
    isError: false,
    children: [],
  };
}

function labelOf(span: StoredSpan, role: SpanRole): { label: string; detail?: string } {
  switch (role) {
    case 'session':
      return { label: 'session' };
    case 'prompt': {
      const preview = stringAttr(span, ATTR_CLAUDE_PROMPT_PREVIEW);
      return { label: `prompt ${numberAttr(span, ATTR_CLAUDE_PROMPT_INDEX) ?? ''}`.trim(), ...(preview ? { detail: preview } : {}) };
    }
    case 'chat':
      // claude's own stand-in for a call that never reached the API: no model to name.
      return { label: isPlaceholderCall(span) ? 'chat (no API call)' : `chat ${chatModel(span)}` };
    case 'tool': {
      const summary = stringAttr(span, ATTR_CLAUDE_TOOL_INPUT_SUMMARY);
      return {
        label: stringAttr(span, ATTR_GEN_AI_TOOL_NAME) ?? operationTarget(span.name, OPERATION_EXECUTE_TOOL) ?? span.name,
        ...(summary ? { detail: summary } : {}),
      };
    }
    case 'agent': {
      const description = stringAttr(span, ATTR_GEN_AI_AGENT_DESCRIPTION);
      return {
        label: `agent ${stringAttr(span, ATTR_GEN_AI_AGENT_NAME) ?? operationTarget(span.name, OPERATION_INVOKE_AGENT) ?? span.name}`,
        ...(description ? { detail: description } : {}),
      };
    }
    default:
      return { label: span.name };
  }
}

function errorOf(span: StoredSpan): string {
  return span.statusMessage ?? stringAttr(span, ATTR_CLAUDE_TOOL_ERROR_MESSAGE) ?? stringAttr(span, ATTR_ERROR_TYPE) ?? 'error';
}

function nodeOf(span: StoredSpan, originMs: number): WaterfallNode {
  const role = spanRole(span);
  const node: WaterfallNode = {
    spanId: span.spanId,
    role,
    name: span.name,
    ...labelOf(span, role),
    startOffsetMs: Math.max(0, span.startMs - originMs),
    durationMs: Math.max(0, span.endMs - span.startMs),
    isError: isErrorSpan(span),
    children: [],
  };
  if (node.isError) node.error = errorOf(span);
  const exitCode = role === 'tool' ? numberAttr(span, ATTR_CLAUDE_TOOL_EXIT_CODE) : role === 'session' ? numberAttr(span, ATTR_PROCESS_EXIT_CODE) : undefined;
  if (exitCode !== undefined) node.exitCode = exitCode;
  if (role === 'chat' || (role === 'session' && span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined)) node.tokens = spanTokens(span);
  const cost = numberAttr(span, ATTR_CLAUDE_COST_USD);
  if (cost !== undefined && (role === 'chat' || role === 'session')) node.costUsd = cost;
  if (role === 'chat' && isRebuild(span)) {
    node.rebuild = true;
    node.label = `${REBUILD_MARK} ${node.label}`;
  }
  const compactions = (span.events ?? []).filter((e) => e.name === COMPACTION_EVENT);
  for (const [i, event] of compactions.entries()) node.children.push(compactionNode(span, event, i, originMs));
  return node;
}

function byStart(a: WaterfallNode, b: WaterfallNode): number {
  return a.startOffsetMs - b.startOffsetMs || a.label.localeCompare(b.label);
}

/** Every node under `roots` once, parents before children (a loop of parents is walked once). */
function eachNode(roots: WaterfallNode[], visit: (node: WaterfallNode) => void): void {
  const seen = new Set<WaterfallNode>();
  const stack = [...roots];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    visit(node);
    stack.push(...node.children);
  }
}

/** The span tree, roots first (normally the one `claude.session`), children in start order. */
export function buildWaterfall(spans: StoredSpan[]): WaterfallNode[] {
  if (spans.length === 0) return [];
  const originMs = spans.reduce((min, s) => Math.min(min, s.startMs), Number.POSITIVE_INFINITY);
  const nodes = new Map<string, WaterfallNode>();
  for (const span of spans) nodes.set(span.spanId, nodeOf(span, originMs));
  const roots: WaterfallNode[] = [];
  const parents = new Map<WaterfallNode, WaterfallNode>();
  const placed = new Set<WaterfallNode>();
  for (const span of spans) {
    const node = nodes.get(span.spanId);
    // Two spans with one id are one node, placed once.
    if (!node || placed.has(node)) continue;
    placed.add(node);
    // A span whose parent is not stored (a damaged chunk) is still shown, at the top.
    const parent = span.parentSpanId && span.parentSpanId !== span.spanId ? nodes.get(span.parentSpanId) : undefined;
    if (parent) parents.set(node, parent);
    (parent ? parent.children : roots).push(node);
  }
  // Spans whose parents make a loop reach no root: the loop is cut at its earliest span, shown at the top.
  const reached = new Set<WaterfallNode>();
  eachNode(roots, (node) => reached.add(node));
  for (const node of [...nodes.values()].sort(byStart)) {
    if (reached.has(node)) continue;
    const parent = parents.get(node);
    if (parent) parent.children = parent.children.filter((child) => child !== node);
    roots.push(node);
    eachNode([node], (n) => reached.add(n));
  }
  roots.sort(byStart);
  eachNode(roots, (node) => node.children.sort(byStart));
  return roots;
}

/**
 * Deeper spans are drawn at this depth, each saying its own (`[level N]`): a chain of thousands
 * of spans would otherwise be all guides and no label.
 */
export const MAX_DRAWN_DEPTH = 12;

export interface WaterfallRow {
  node: WaterfallNode;
  /** The depth it is drawn at: its place in the tree, at most MAX_DRAWN_DEPTH. */
  depth: number;
  /** Its place in the tree when deeper than MAX_DRAWN_DEPTH. */
  level?: number;
  /** Tree guides drawn before the label, e.g. `│ ├ `. */
  guide: string;
  /** The bar's first cell and its length in cells, out of the layout's width. */
  barStart: number;
  barLength: number;
}

/** Said before the label of a row drawn shallower than it lies. */
export function levelMark(row: Pick<WaterfallRow, 'level'>): string {
  return row.level === undefined ? '' : `[level ${row.level}] `;
}

/** The span of time the waterfall covers, from the earliest start to the latest end. */
export function waterfallExtentMs(roots: WaterfallNode[]): number {
  let end = 0;
  eachNode(roots, (node) => {
    end = Math.max(end, node.startOffsetMs + node.durationMs);
  });
  return end;
}

/** Rows in tree order, with bars scaled to `barWidth` cells; every span gets at least one cell. */
export function layoutWaterfall(roots: WaterfallNode[], barWidth: number): WaterfallRow[] {
  const width = Math.max(1, Math.floor(barWidth));
  const extent = waterfallExtentMs(roots);
  const rows: WaterfallRow[] = [];
  const seen = new Set<WaterfallNode>();
  // Depth first without recursion: a stack of what is left to draw, the next one on top.
  const stack: { node: WaterfallNode; depth: number; ancestorsOpen: boolean[]; isLast: boolean }[] = roots
    .map((node, i) => ({ node, depth: 0, ancestorsOpen: [], isLast: i === roots.length - 1 }))
    .reverse();
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth, ancestorsOpen, isLast } = item;
    if (seen.has(node)) continue;
    seen.add(node);
    const drawn = Math.min(depth, MAX_DRAWN_DEPTH);
    const guide = drawn === 0 ? '' : `${ancestorsOpen.map((open) => (open ? '│ ' : '  ')).join('')}${isLast ? '└ ' : '├ '}`;
    let barStart = 0;
    let barLength = width;
    if (extent > 0) {
      barStart = Math.min(width - 1, Math.floor((node.startOffsetMs / extent) * width));
      const barEnd = Math.ceil(((node.startOffsetMs + node.durationMs) / extent) * width);
      barLength = Math.max(1, Math.min(width, barEnd) - barStart);
    }
    rows.push({ node, depth: drawn, ...(depth > MAX_DRAWN_DEPTH ? { level: depth } : {}), guide, barStart, barLength });
    // Past the cap the guides stop growing: children are drawn beside their parent.
    const childOpen = depth === 0 ? [] : depth >= MAX_DRAWN_DEPTH ? ancestorsOpen : [...ancestorsOpen, !isLast];
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child) stack.push({ node: child, depth: depth + 1, ancestorsOpen: childOpen, isLast: i === node.children.length - 1 });
    }
  }
  return rows;
}
