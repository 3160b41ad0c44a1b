import { createLlamaGuardClassifier } from '../models/backends/llama-guard.js';
import { createOpenAIModerationClassifier } from '../models/backends/openai-moderation.js';
import { createTextClassificationClassifier } from '../models/backends/text-classification.js';
import type { Classifier, ClassifierTask } from '../models/classify/types.js';
import type { BackendConfig, GuardStage } from './policy.js';

/**
 * An external classifier from a policy's backend entry. On the output stage a Llama Guard model judges the
 * answer as the agent's turn (its response-classification prompt), not as a user's message.
 */
export function buildBackend(config: BackendConfig, task: ClassifierTask, stage?: GuardStage): Classifier {
  switch (config.type) {
    case 'llama-guard':
      return createLlamaGuardClassifier({
        baseUrl: config.baseUrl,
        model: config.model,
        apiKeyEnv: config.apiKeyEnv,
        timeoutMs: config.timeoutMs,
        task,
        role: stage === 'output' ? 'agent' : 'user',
      });
    case 'openai-moderation':
      return createOpenAIModerationClassifier({
        baseUrl: config.baseUrl,
        model: config.model,
        apiKeyEnv: config.apiKeyEnv,
        timeoutMs: config.timeoutMs,
        task,
      });
    case 'text-classification':
      return createTextClassificationClassifier({
        baseUrl: config.baseUrl,
        positiveLabels: config.positiveLabels,
        apiKeyEnv: config.apiKeyEnv,
        timeoutMs: config.timeoutMs,
        task,
      });
  }
}
