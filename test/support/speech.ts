// Real speech for audio tests: espeak-ng speaks the text, sox turns it into
// the Live API's input format (16 kHz, 16-bit, mono).
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWav, type PcmAudio } from './audio';

const run = promisify(execFile);

export interface SpeechOptions {
  /** Directory for the WAV files; a fresh temporary one by default. */
  dir?: string;
  /** espeak-ng voice, e.g. 'en-us' or 'fr'. */
  voice?: string;
  wordsPerMinute?: number;
}

export interface SpeechClip extends PcmAudio {
  /** The 16 kHz WAV file. */
  path: string;
}

export async function synthesizeSpeech(text: string, options: SpeechOptions = {}): Promise<SpeechClip> {
  await Promise.all([requireTool('espeak-ng'), requireTool('sox')]);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'parley-speech-')));
  const raw = join(dir, 'espeak.wav');
  const path = join(dir, 'speech-16k.wav');
  const voice = options.voice ?? 'en-us';
  const speed = String(options.wordsPerMinute ?? 160);
  await run('espeak-ng', ['-v', voice, '-s', speed, '-w', raw, text]);
  await run('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', path]);
  return { path, ...(await readWav(path)) };
}

const probed = new Map<string, Promise<void>>();

function requireTool(name: string): Promise<void> {
  let probe = probed.get(name);
  if (!probe) {
    probe = run(name, ['--version']).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => {
        const why = error.code === 'ENOENT' ? 'is not installed' : `failed to run (${error.message})`;
        throw new Error(`${name} ${why}; test speech needs espeak-ng and sox (apt-get install espeak-ng sox)`);
      },
    );
    probed.set(name, probe);
  }
  return probe;
}
