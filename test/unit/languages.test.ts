import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageChoices, languageName, liveLanguageCodes, withChoice } from '../../shared/languages';

describe('liveLanguageCodes', () => {
  it('lists the 70 languages of the seed, each once, each a language Intl can name', () => {
    // The seed says "Live API 支持以下 70 种语言" above its table.
    assert.equal(liveLanguageCodes.length, 70);
    assert.equal(new Set(liveLanguageCodes).size, 70);
    for (const code of liveLanguageCodes) assert.notEqual(languageName(code, 'en'), code, code);
  });
});

describe('languageName', () => {
  it('names the seed’s legacy codes as the languages they stand for', () => {
    assert.equal(languageName('iw', 'en'), 'Hebrew');
    assert.equal(languageName('fil', 'en'), 'Filipino');
    assert.equal(languageName('no', 'en'), 'Norwegian');
    assert.equal(languageName('iw', 'fr'), 'hébreu');
  });

  it('names a language in the locale asked for', () => {
    assert.equal(languageName('de', 'en'), 'German');
    assert.equal(languageName('de', 'fr'), 'allemand');
    assert.equal(languageName('de', 'zh-CN'), '德语');
  });

  it('shows a code it cannot name as written, and never fails on a malformed code or locale', () => {
    assert.equal(languageName('qaa', 'en'), 'qaa');
    assert.equal(languageName('en_US', 'en'), 'en_US');
    assert.notEqual(languageName('fr', 'not a locale'), 'fr', 'named in the system’s language');
  });
});

describe('languageChoices', () => {
  it('offers every listed language once, with its name in the locale', () => {
    const choices = languageChoices('fr');
    assert.deepEqual(choices.map((choice) => choice.code).sort(), [...liveLanguageCodes].sort());
    assert.deepEqual(
      choices.find((choice) => choice.code === 'de'),
      { code: 'de', name: 'allemand' },
    );
  });

  it('sorts by name as the locale reads it, accents among their letters', () => {
    const namesIn = (locale: string) => languageChoices(locale).map((choice) => choice.name);
    assert.deepEqual(namesIn('en').slice(0, 3), ['Afrikaans', 'Albanian', 'Amharic']);
    const french = namesIn('fr');
    assert.deepEqual(french.slice(0, 3), ['afrikaans', 'albanais', 'allemand']);
    // A code-unit sort would put "hébreu" after "hindi" ("é" is above "i").
    assert.ok(french.indexOf('hébreu') < french.indexOf('hindi'));
    for (const locale of ['en', 'fr', 'zh-CN']) {
      const names = namesIn(locale);
      const collator = new Intl.Collator(locale);
      for (let i = 1; i < names.length; i++) assert.ok(collator.compare(names[i - 1]!, names[i]!) <= 0, names[i]);
    }
  });
});

describe('withChoice', () => {
  it('puts a saved language the list lacks first, by its name, and leaves a listed one where it is', () => {
    const choices = languageChoices('en');
    assert.deepEqual(withChoice(choices, 'fr-CA', 'en')[0], { code: 'fr-CA', name: 'Canadian French' });
    assert.equal(withChoice(choices, 'fr-CA', 'en').length, choices.length + 1);
    assert.deepEqual(withChoice(choices, 'fr', 'en'), choices);
  });
});
