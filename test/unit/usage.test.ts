import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageFrom } from '../../electron/main/conversation/transcript';

describe("a turn's token usage", () => {
  it('says what the pictures of the screen cost, from the prompt details', () => {
    const usage = usageFrom({
      promptTokenCount: 600,
      responseTokenCount: 40,
      totalTokenCount: 640,
      promptTokensDetails: [
        { modality: 'AUDIO', tokenCount: 88 },
        { modality: 'IMAGE', tokenCount: 512 },
      ],
    });
    assert.deepEqual(usage, { promptTokens: 600, responseTokens: 40, totalTokens: 640, imageTokens: 512 });
  });

  it('says nothing about pictures when there were none', () => {
    const usage = usageFrom({ promptTokenCount: 88, promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 88 }] });
    assert.deepEqual(usage, { promptTokens: 88, responseTokens: 0, totalTokens: 88 });
  });
});
