import { describe, expect, it } from 'vitest';
import { checkQuality } from '../../src/data/quality.js';
import { expectLinearTime } from '../helpers/linear-time.js';

describe('quality: sentence ends of other scripts (c4 sentence_count)', () => {
  it('counts CJK 。！？ inside an unspaced "word" and at its end', () => {
    const zh = '今天天气很好。我们去公园吧！你来吗？好的。走吧。';
    const r = checkQuality(zh, { preset: 'c4' });
    expect(r.stats.sentence_count).toBe(5);
    expect(r.failed).toEqual([]);
  });

  it('counts a run of marks once and sees through closing brackets', () => {
    expect(checkQuality('真的吗？？？「好。」他说。').stats.sentence_count).toBe(3);
    expect(checkQuality('「好。」 他说').stats.sentence_count).toBe(2);
  });

  it('counts Devanagari । and Arabic ؟ ۔ at word ends', () => {
    const hi = 'यह पहला वाक्य है। यह दूसरा है। तीसरा यहाँ है। चौथा भी है। पाँचवाँ अंतिम है।';
    expect(checkQuality(hi, { preset: 'c4' }).stats.sentence_count).toBe(5);
    expect(checkQuality(hi, { preset: 'c4' }).failed).toEqual([]);
    expect(checkQuality('كيف حالك؟ أنا بخير. شكرا جزيلا۔').stats.sentence_count).toBe(3);
  });

  it('still counts Latin text as before', () => {
    expect(checkQuality('One. Two! "Three?" Four… five').stats.sentence_count).toBe(5);
  });
});

describe('quality: emoji are not symbol soup (lenient non_alnum_ratio)', () => {
  it('keeps emoji-heavy chat and emoji-only replies', () => {
    for (const t of [
      '😂😂😂 lol 😂 ok 👍👍 🎉🎉🎉🎉',
      '👍',
      '❤️❤️❤️',
      '👩🏽‍💻 👩🏽‍💻',
      '🇺🇸🇬🇧 go!',
      'hi\n🙏🏽🙏🏽🙏🏽🙏🏽',
    ]) {
      const r = checkQuality(t);
      expect(r.failed, t).toEqual([]);
      expect(r.stats.non_alnum_ratio, t).toBeLessThanOrEqual(0.7);
    }
  });

  it('still fails ASCII and punctuation soup, and runs of one emoji', () => {
    expect(checkQuality('!!! ### $$$ %%% ^^^ &&& ***').failed).toContain('non_alnum_ratio');
    expect(checkQuality('😂 ~~~~ |||| ;;;; ---- ++++').failed).toContain('non_alnum_ratio');
    expect(checkQuality('😂'.repeat(201)).failed).toEqual(['char_run']);
  });

  it('emoji still count as symbols for word edges and alpha_words', () => {
    const r = checkQuality('😂hello😂', { preset: 'gopher' });
    expect(r.stats.mean_word_length).toBe(5);
    expect(checkQuality('😂 😂 😂 😂 ok', { preset: 'gopher' }).stats.alpha_word_frac).toBe(0.2);
  });
});

describe('quality: linear time on 1 MB of CJK sentences and emoji', () => {
  it('CJK text with marks and closers, c4', { retry: 2 }, () => {
    const unit = '他说：「好。」真的吗？？？是的！';
    expectLinearTime(
      (n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n),
      (s) => checkQuality(s, { preset: 'c4' }),
    );
  });

  it('emoji chat, gopher', { retry: 2 }, () => {
    const unit = 'ok 👩🏽‍💻🇺🇸 ❤️ 😂😂 ';
    expectLinearTime(
      (n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n),
      (s) => checkQuality(s, { preset: 'gopher' }),
    );
  });
});
