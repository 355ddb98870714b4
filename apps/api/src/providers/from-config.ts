import type { ProviderConfig } from '../config/config.ts';
import { echoProvider } from './echo.ts';
import { openAiCompatibleProvider } from './openai-compatible.ts';
import type { ChatProvider } from './port.ts';

/**
 * The server's default provider from configuration (`SMARTER_LLM_*`): `echo` unless `openai` is configured.
 *
 * @example
 * const provider = providerFromConfig(config.provider);
 */
export function providerFromConfig(config: ProviderConfig, fetchImpl?: typeof fetch): ChatProvider {
  if (config.name === 'openai' && config.baseUrl && config.apiKey) {
    return openAiCompatibleProvider({
      baseUrl: config.baseUrl,
      model: config.model ?? 'gpt-4o-mini',
      apiKey: config.apiKey,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  }
  return echoProvider();
}
