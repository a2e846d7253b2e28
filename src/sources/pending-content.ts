import type { ConversationMessage } from './model-call.ts';

// With content recording on, what each agent's next model call will be sent that it has not
// been sent before: the prompt, a subagent's task, the results of the tools it asked for.
// Off, nothing is kept (a long session's tool outputs would otherwise stay in memory).

export class PendingContent {
  private readonly pending = new Map<string, ConversationMessage[]>();

  constructor(readonly enabled: boolean) {}

  add(agentKey: string, message: ConversationMessage): void {
    if (!this.enabled) return;
    const messages = this.pending.get(agentKey);
    const last = messages?.[messages.length - 1];
    // Results of parallel tool calls go in one message, as the API receives them.
    if (last && last.role === 'tool' && message.role === 'tool') last.parts.push(...message.parts);
    else if (messages) messages.push(message);
    else this.pending.set(agentKey, [message]);
  }

  /** The agent's new messages, handed to the call that sends them; undefined when off. */
  take(agentKey: string): ConversationMessage[] | undefined {
    if (!this.enabled) return undefined;
    const messages = this.pending.get(agentKey) ?? [];
    this.pending.delete(agentKey);
    return messages;
  }
}
