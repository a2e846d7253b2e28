import type { Attributes } from '@opentelemetry/api';
import type { AgentRef, SessionMode, TokenUsage } from '../session/events.ts';
import { addCost, costTotal, zeroCost } from './pricing.ts';
import type { CostParts } from './pricing.ts';
import { RebuildDetector } from './cache-rebuild.ts';
import {
  ATTR_CLAUDE_CACHE_HIT_RATIO,
  ATTR_CLAUDE_CACHE_REBUILDS,
  ATTR_CLAUDE_CACHE_REBUILD_COST_USD,
  ATTR_CLAUDE_COMPACTIONS,
  ATTR_CLAUDE_COST_CACHE_READ_USD,
  ATTR_CLAUDE_COST_CACHE_WRITE_USD,
  ATTR_CLAUDE_COST_INPUT_USD,
  ATTR_CLAUDE_COST_OUTPUT_USD,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_SESSION_ACTIVE_MS,
  ATTR_CLAUDE_SESSION_USER_WAIT_MS,
} from './names.ts';

// Where a session's money and time went: cost by component per prompt, per subagent and in
// all; cache rebuilds; compactions; and, in interactive mode, the time spent waiting for the
// person (between turns and on permission prompts) against the time claude worked.

export function costAttributes(parts: CostParts): Attributes {
  return {
    [ATTR_CLAUDE_COST_INPUT_USD]: parts.input,
    [ATTR_CLAUDE_COST_OUTPUT_USD]: parts.output,
    [ATTR_CLAUDE_COST_CACHE_READ_USD]: parts.cacheRead,
    [ATTR_CLAUDE_COST_CACHE_WRITE_USD]: parts.cacheWrite,
  };
}

/** A span's cost and its parts (prompt and subagent spans: the sum of their calls). */
function costWithTotal(parts: CostParts): Attributes {
  return { [ATTR_CLAUDE_COST_USD]: costTotal(parts), ...costAttributes(parts) };
}

export interface PricedChat {
  agent: AgentRef;
  start: number;
  end: number;
  usage: TokenUsage;
}

export class SessionEconomics {
  private readonly rebuildDetector: RebuildDetector;
  private readonly sessionCost = zeroCost();
  private promptCost = zeroCost();
  private readonly agentCosts = new Map<string, CostParts>();
  private readonly usage = { input: 0, cacheRead: 0, cacheCreation: 0 };
  private rebuilds = 0;
  private rebuildCostUsd = 0;
  private compactions = 0;
  private interactive = false;
  private sessionStart = 0;
  private lastTurnEnd: number | undefined;
  private userWaitMs = 0;
  private turnsMs = 0;
  private permissionWaitMs = 0;

  constructor(cacheTtlOverrideMs: number | undefined) {
    this.rebuildDetector = new RebuildDetector(cacheTtlOverrideMs);
  }

  startSession(time: number, mode: SessionMode): void {
    this.sessionStart = time;
    this.interactive = mode === 'interactive';
  }

  /** Counts a model call; says whether it rebuilt the cache. Calls come in the order each agent made them. */
  chat(chat: PricedChat, cost: CostParts | undefined): boolean {
    this.usage.input += chat.usage.input;
    this.usage.cacheRead += chat.usage.cacheRead;
    this.usage.cacheCreation += chat.usage.cacheCreation;
    if (cost) {
      addCost(this.sessionCost, cost);
      addCost(this.promptCost, cost);
      if (chat.agent !== null) {
        const agent = this.agentCosts.get(chat.agent) ?? zeroCost();
        addCost(agent, cost);
        this.agentCosts.set(chat.agent, agent);
      }
    }
    const rebuild = this.rebuildDetector.check(chat);
    if (rebuild) {
      this.rebuilds += 1;
      this.rebuildCostUsd += cost?.cacheWrite ?? 0;
    }
    return rebuild;
  }

  compaction(): void {
    this.compactions += 1;
  }

  /** In interactive mode, how long the person took to send this prompt (from the last turn's end, or the session's start). */
  startTurn(time: number): number | undefined {
    this.promptCost = zeroCost();
    if (!this.interactive) return undefined;
    const wait = Math.max(0, time - (this.lastTurnEnd ?? this.sessionStart));
    this.userWaitMs += wait;
    return wait;
  }

  endTurn(start: number, end: number): Attributes {
    this.turnsMs += Math.max(0, end - start);
    this.lastTurnEnd = end;
    return costWithTotal(this.promptCost);
  }

  permissionWait(ms: number): void {
    this.permissionWaitMs += ms;
  }

  /** A subagent's cost so far, once its calls are in. */
  agentAttributes(toolUseId: string): Attributes {
    return costWithTotal(this.agentCosts.get(toolUseId) ?? zeroCost());
  }

  get computedCostUsd(): number {
    return costTotal(this.sessionCost);
  }

  /** The session's figures; the cost parts scaled to claude's own total when it reports one. */
  sessionAttributes(reportedCostUsd: number | undefined): Attributes {
    const computed = costTotal(this.sessionCost);
    const scale = reportedCostUsd !== undefined && computed > 0 ? reportedCostUsd / computed : 1;
    const parts = {
      input: this.sessionCost.input * scale,
      output: this.sessionCost.output * scale,
      cacheRead: this.sessionCost.cacheRead * scale,
      cacheWrite: this.sessionCost.cacheWrite * scale,
    };
    const allInput = this.usage.input + this.usage.cacheRead + this.usage.cacheCreation;
    const attributes: Attributes = {
      ...costAttributes(parts),
      [ATTR_CLAUDE_CACHE_REBUILDS]: this.rebuilds,
      [ATTR_CLAUDE_CACHE_REBUILD_COST_USD]: this.rebuildCostUsd * scale,
      [ATTR_CLAUDE_COMPACTIONS]: this.compactions,
    };
    if (allInput > 0) attributes[ATTR_CLAUDE_CACHE_HIT_RATIO] = this.usage.cacheRead / allInput;
    if (this.interactive) {
      attributes[ATTR_CLAUDE_SESSION_USER_WAIT_MS] = this.userWaitMs + this.permissionWaitMs;
      attributes[ATTR_CLAUDE_SESSION_ACTIVE_MS] = Math.max(0, this.turnsMs - this.permissionWaitMs);
    }
    return attributes;
  }
}
