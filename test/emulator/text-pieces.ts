// Transcriptions and text replies arrive as incremental pieces that the
// client appends: "heard 2.00", " s of", " audio".

const WORDS_PER_PIECE = 2;

export function textPieces(text: string): string[] {
  const words = text.match(/\s*\S+\s*$|\s*\S+/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_PIECE) pieces.push(words.slice(i, i + WORDS_PER_PIECE).join(''));
  return pieces;
}
