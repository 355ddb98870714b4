import type { ChatProvider, ChatReply, ChatRequest } from './port.ts';

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * The built-in offline provider: answers `Echo: <last user message>`, deterministically, with word counts as usage.
 * The default, so a fresh install chats without any key.
 *
 * @example
 * await echoProvider().chat({ messages: [{ role: 'user', content: 'hi' }] }); // message.content === 'Echo: hi'
 */
export function echoProvider(): ChatProvider {
  return {
    name: 'echo',
    defaultModel: 'echo-1',
    async chat(request: ChatRequest): Promise<ChatReply> {
      const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
      const content = `Echo: ${lastUser?.content ?? ''}`;
      return {
        message: { role: 'assistant', content },
        provider: 'echo',
        model: request.model ?? 'echo-1',
        finishReason: 'stop',
        usage: {
          promptTokens: request.messages.reduce((n, m) => n + words(m.content), 0),
          completionTokens: words(content),
        },
      };
    },
  };
}
