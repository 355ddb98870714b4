/** Who wrote a chat message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** One message of a conversation. */
export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** What a chat provider is asked. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** Overrides the provider's default model. */
  readonly model?: string | undefined;
  readonly temperature?: number | undefined;
  readonly maxTokens?: number | undefined;
}

/** Token counts, when the provider reports them. */
export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** The provider's answer. */
export interface ChatReply {
  readonly message: { readonly role: 'assistant'; readonly content: string };
  readonly provider: string;
  readonly model: string;
  readonly finishReason: string;
  readonly usage?: ChatUsage | undefined;
}

/** Per-call options. */
export interface ChatCallOptions {
  /** Aborts the call (client gone, server shutting down). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A chat provider (port). Implementations: the deterministic offline `echo` provider and OpenAI-compatible HTTP APIs.
 * Failures reject with a `ProviderError`, never with the provider's raw answer.
 */
export interface ChatProvider {
  /** Stable provider name (`echo`, `openai`). */
  readonly name: string;
  /** The model used when the request names none. */
  readonly defaultModel: string;
  chat(request: ChatRequest, options?: ChatCallOptions): Promise<ChatReply>;
}
