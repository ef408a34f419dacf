// The translate model's settings (setup.generationConfig.translationConfig):
// the language it speaks and whether it repeats speech already in that language.

export interface TranslationSettings {
  /** BCP-47, as the client sent it. */
  targetLanguageCode: string;
  /** Speech already in the target language is spoken again (true) or left unanswered (false). */
  echoTargetLanguage: boolean;
}

/** A well-formed BCP-47 tag ("fr", "pt-BR", "zh-Hant"); "en_US" or "" are not. */
export function isLanguageTag(code: string): boolean {
  try {
    return Intl.getCanonicalLocales(code).length === 1;
  } catch {
    return false;
  }
}

/** "en", "en-GB" and "EN" are one language: the translate model has nothing to translate between them. */
export function sameLanguage(a: string, b: string): boolean {
  return new Intl.Locale(a).language === new Intl.Locale(b).language;
}
