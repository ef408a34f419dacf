// The languages the Live API lists (the newer seed, ../shared/seeds/001_34a8204b2ad1ffe2.txt,
// "支持的语言": 70 BCP-47 codes), which an interpreter profile may speak into. The codes stay as the
// seed writes them, legacy ones included (`iw` for Hebrew, `no` for Norwegian): they are what the
// service was documented with, and Intl names them all the same.

/** The seed's codes, in the seed's order (its left column, then its right one). */
export const liveLanguageCodes: readonly string[] = (
  'af sq am ar hy as az eu be bn bs bg ca zh hr cs da nl en et fil fi fr gl ka de el gu iw hi hu is id it ja ' +
  'kn kk km ko lo lv lt mk ms ml mr mn ne no or pl pt pa ro ru sr sk sl es sw sv ta te th tr uk ur uz vi zu'
).split(' ');

export interface LanguageChoice {
  code: string;
  /** The language's name in the locale it was asked for, e.g. "allemand" for `de` in French. */
  name: string;
}

/** A language's name in `locale` ("German" for `de` in English); the code itself when Intl has no name for it. */
export function languageName(code: string, locale: string): string {
  return nameIn(displayNames(locale), code);
}

/** Every listed language named in `locale`, in that locale's alphabetical order, for a select. */
export function languageChoices(locale: string): LanguageChoice[] {
  const names = displayNames(locale);
  const collator = new Intl.Collator(names.resolvedOptions().locale);
  return liveLanguageCodes
    .map((code) => ({ code, name: nameIn(names, code) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** `choices` with `code` first when they lack it (a regional target such as `fr-CA`), so a select shows what is saved. */
export function withChoice(choices: readonly LanguageChoice[], code: string, locale: string): LanguageChoice[] {
  if (choices.some((choice) => choice.code === code)) return [...choices];
  return [{ code, name: languageName(code, locale) }, ...choices];
}

function displayNames(locale: string): Intl.DisplayNames {
  const options = { type: 'language', fallback: 'code' } as const;
  try {
    return new Intl.DisplayNames([locale], options);
  } catch {
    // A malformed locale names the languages in the system's language rather than failing.
    return new Intl.DisplayNames(undefined, options);
  }
}

function nameIn(names: Intl.DisplayNames, code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    // A malformed code (a typed target such as "en_US") is shown as typed.
    return code;
  }
}
