export { type ChatAgent, type ChatRoutesOptions, chatRoutes } from './chat-routes.ts';
export { echoProvider } from './echo.ts';
export { ProviderError, type ProviderErrorCode } from './errors.ts';
export { providerFromConfig } from './from-config.ts';
export {
  type OpenAiCompatibleOptions,
  openAiCompatibleProvider,
  type ResolvedOpenAiCompatibleOptions,
  resolveOpenAiCompatibleOptions,
} from './openai-compatible.ts';
export type {
  ChatCallOptions,
  ChatMessage,
  ChatProvider,
  ChatReply,
  ChatRequest,
  ChatRole,
  ChatUsage,
} from './port.ts';
