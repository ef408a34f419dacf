// Realtime audio as the service reads it: raw PCM16LE in base64, the rate
// taken from the mime type ("audio/pcm;rate=16000"; 16 kHz when absent).
import { int16FromBytes } from '../support/audio';
import { invalidArgument, invalidValue } from './protocol-error';

export const DEFAULT_INPUT_RATE = 16_000;

const PCM_MIME = /^audio\/pcm(?:\s*;\s*rate=(\d+))?$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function sampleRateOf(mimeType: string): number {
  const match = PCM_MIME.exec(mimeType.trim());
  if (!match) throw invalidArgument(`Unsupported audio mime type "${mimeType}"; send audio/pcm.`);
  return match[1] === undefined ? DEFAULT_INPUT_RATE : Number(match[1]);
}

/** The chunks form one byte stream: an odd-length chunk leaves its last byte for the next. */
export class PcmDecoder {
  private carry: Buffer = Buffer.alloc(0);

  decode(base64: string): Int16Array {
    if (!BASE64.test(base64)) throw invalidValue('realtime_input.audio.data');
    const bytes = Buffer.concat([this.carry, Buffer.from(base64, 'base64')]);
    this.carry = bytes.subarray(bytes.length - (bytes.length % 2));
    return int16FromBytes(bytes);
  }
}
