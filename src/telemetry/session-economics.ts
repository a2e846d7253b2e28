import type { Attributes } from '@opentelemetry/api';
import type { AgentRef, SessionMode, TokenUsage } from '../session/events.ts';
import { addCost, costTotal, zeroCost } from './pricing.ts';
import type { CostParts } from './pricing.ts';
import { RebuildDetector } from './cache-rebuild.ts';

// Where a session's money and time went: cost by component per prompt, per subagent and in
// all; cache rebuilds; compactions; and, in interactive mode, the time spent waiting for the
// person (between turns and on permission prompts) against the time claude worked.

export function costAttributes(parts: CostParts): Attributes {
  return {
    'claude.cost.input_usd': parts.input,
    'claude.cost.output_usd': parts.output,
    'claude.cost.cache_read_usd': parts.cacheRead,
    'claude.cost.cache_write_usd': parts.cacheWrite,
  };
}

/** A span's cost and its parts (prompt and subagent spans: the sum of their calls). */
function costWithTotal(parts: CostParts): Attributes {
  return { 'claude.cost_usd': costTotal(parts), ...costAttributes(parts) };
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
    const parts = { input: this.sessionCost.input * scale, output: this.sessionCost.output * scale, cacheRead: this.sessionCost.cacheRead * scale, cacheWrite: this.sessionCost.cacheWrite * scale };
    const allInput = this.usage.input + this.usage.cacheRead + this.usage.cacheCreation;
    const attributes: Attributes = {
      ...costAttributes(parts),
      'claude.cache.rebuilds': this.rebuilds,
      'claude.cache.rebuild_cost_usd': this.rebuildCostUsd * scale,
      'claude.compactions': this.compactions,
    };
    if (allInput > 0) attributes['claude.cache.hit_ratio'] = this.usage.cacheRead / allInput;
    if (this.interactive) {
      attributes['claude.session.user_wait_ms'] = this.userWaitMs + this.permissionWaitMs;
      attributes['claude.session.active_ms'] = Math.max(0, this.turnsMs - this.permissionWaitMs);
    }
    return attributes;
  }
}
