import { z } from 'zod';
import { McpFieldProblem, McpView, MemoryNotes, ToolLimits, ToolPermission, ToolView } from './tools';
import { MediaDeviceList, PushToTalkMode } from './types';

/**
 * The settings file, version 1. Every later version adds a migration from the
 * one before (electron/main/settings/migrations.ts) and a fixture of it under
 * test/fixtures/settings/. Earlier versions stay here, frozen, for those.
 */

export const SettingsV1 = z.object({
  version: z.literal(1),
  hotkey: z.object({ accelerator: z.string().trim().min(1).max(100), mode: PushToTalkMode }),
  maxTurnMs: z
    .number()
    .int()
    .min(1_000)
    .max(30 * 60_000),
  capture: z.object({
    deviceId: z.string().max(512).optional(),
    echoCancellation: z.boolean(),
    noiseSuppression: z.boolean(),
    autoGainControl: z.boolean(),
  }),
  cues: z.boolean(),
  warmMicrophone: z.boolean(),
  outputDeviceId: z.string().max(512).optional(),
  launchAtLogin: z.boolean(),
  model: z.string().trim().min(1).max(200),
  // What the Live session is set up with (see live/live-config.ts and live/model-capabilities.ts).
  responseModality: z.enum(['AUDIO', 'TEXT']),
  voiceName: z.string().max(100).optional(),
  languageCode: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP-47 language code such as en-US')
    .optional(),
  systemInstruction: z.string().max(20_000),
  inputTranscription: z.boolean(),
  outputTranscription: z.boolean(),
  affectiveDialog: z.boolean(),
  proactiveAudio: z.boolean(),
  thinking: z.object({
    budget: z.number().int().min(0).max(32_768).optional(),
    level: z.enum(['MINIMAL', 'LOW', 'MEDIUM', 'HIGH']).optional(),
    includeThoughts: z.boolean().optional(),
  }),
  mediaResolution: z.enum(['MEDIA_RESOLUTION_LOW', 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH']).optional(),
  contextCompression: z.object({ enabled: z.boolean(), triggerTokens: z.number().int().min(1_000).max(1_000_000) }),
});
export type SettingsV1 = z.infer<typeof SettingsV1>;

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/** A Live API endpoint other than Google's: a proxy, a regional endpoint, or a local emulator. */
const EndpointUrl = z
  .string()
  .trim()
  .max(500)
  .refine((text) => {
    try {
      return ['http:', 'https:', 'ws:', 'wss:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'a URL starting with https://, wss://, http:// or ws://');

/** Version 2: replies' volume and mute, the theme, idle disconnect and showing the transcript on a reply. */
export const SettingsV2 = SettingsV1.extend({
  version: z.literal(2),
  /** Gain of the replies, 0 to 1. */
  outputVolume: z.number().min(0).max(1),
  muteReplies: z.boolean(),
  theme: Theme,
  /** Minutes without a turn before the Live session is closed; 0 keeps it open. */
  idleDisconnectMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  showTranscriptOnReply: z.boolean(),
  /** Advanced: where the Live API is; Google's endpoint when absent. */
  liveEndpoint: EndpointUrl.optional(),
});
export type SettingsV2 = z.infer<typeof SettingsV2>;

/** Version 3: the tools Gemini may call (permissions, Google Search, limits). */
export const SettingsV3 = SettingsV2.extend({
  version: z.literal(3),
  tools: z.object({
    /** Offer Gemini the `googleSearch` tool. */
    googleSearch: z.boolean(),
    /** The user's choice per tool (by the name Gemini calls it); a tool not listed has its default. */
    permissions: z.record(z.string().max(300), ToolPermission),
    /**
     * For each MCP tool the user set to Always allow, the description they allowed: a server that
     * changes it gets asked again.
     */
    allowedDescriptions: z.record(z.string().max(300), z.string().max(20_000)),
    limits: ToolLimits,
  }),
});
export type SettingsV3 = z.infer<typeof SettingsV3>;

/** Version 4: showing Gemini the screen ([4/7]). */
export const SettingsV4 = SettingsV3.extend({
  version: z.literal(4),
  screen: z.object({
    /** Off: no frame of the screen can be sent, and its hotkey and the look_at_screen tool are gone. */
    enabled: z.boolean(),
    /** Works like the push-to-talk hotkey (same mode), and Gemini also sees the screen during the turn. */
    accelerator: z.string().trim().min(1).max(100),
    /** What is seen: the display under the mouse pointer, or the window that has the focus. */
    target: z.enum(['display', 'window']),
  }),
});
export type SettingsV4 = z.infer<typeof SettingsV4>;

/** A profile's id: 'assistant' for the one every earlier version had, 'p-' and hex for later ones. */
export const ProfileId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes');

/** What the interpreter's model does with the user's words (sent only to a model that interprets). */
export const Translation = z.object({
  /** BCP-47: the language the user's words are spoken in. */
  targetLanguageCode: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP-47 language code such as fr'),
  /** Also speak words already in the target language (off: they are passed over in silence). */
  echoTargetLanguage: z.boolean(),
});
export type Translation = z.infer<typeof Translation>;

/** What belongs to a profile: how its turns start, and everything its Live session is set up with. */
const profileFieldMask = {
  hotkey: true,
  model: true,
  responseModality: true,
  voiceName: true,
  languageCode: true,
  systemInstruction: true,
  inputTranscription: true,
  outputTranscription: true,
  affectiveDialog: true,
  proactiveAudio: true,
  thinking: true,
  mediaResolution: true,
  contextCompression: true,
  tools: true,
  screen: true,
} as const;
export const ProfileFields = SettingsV4.pick(profileFieldMask).extend({ translation: Translation });
export type ProfileFields = z.infer<typeof ProfileFields>;
export const profileFieldNames = [...Object.keys(profileFieldMask), 'translation'] as (keyof ProfileFields)[];

export const Profile = ProfileFields.extend({ id: ProfileId, name: z.string().trim().min(1).max(40) });
export type Profile = z.infer<typeof Profile>;

/** What is the same for every profile: the machine, the user and Parley itself. */
const GlobalSettings = SettingsV4.omit({ ...profileFieldMask, version: true });

/** Profiles never share an id or a name (in any case): the user tells them apart by name. */
function uniqueProfiles(settings: { profiles: Profile[] }, context: z.RefinementCtx): void {
  const seen = { ids: new Set<string>(), names: new Set<string>() };
  settings.profiles.forEach((profile, index) => {
    const name = profile.name.toLocaleLowerCase();
    if (seen.ids.has(profile.id))
      context.addIssue({
        code: 'custom',
        path: ['profiles', index, 'id'],
        message: `another profile has the id ${profile.id}`,
      });
    if (seen.names.has(name))
      context.addIssue({
        code: 'custom',
        path: ['profiles', index, 'name'],
        message: `another profile is called ${profile.name}`,
      });
    seen.ids.add(profile.id);
    seen.names.add(name);
  });
}

/** Version 5: profiles ([5/7]), each with its hotkey, model, voice, instructions, tools and screen. */
const SettingsV5Object = GlobalSettings.extend({
  version: z.literal(5),
  profiles: z.array(Profile).min(1).max(12),
});
export const SettingsV5 = SettingsV5Object.superRefine(uniqueProfiles);
export type SettingsV5 = z.infer<typeof SettingsV5>;

/** The version this build writes, and its schema. */
export const settingsVersion = 5;
export const CurrentSettingsFile = SettingsV5;
export type CurrentSettingsFile = SettingsV5;

/** The settings without the file's version: what the app works with. */
export const Settings = SettingsV5Object.omit({ version: true }).superRefine(uniqueProfiles);
export type Settings = z.infer<typeof Settings>;

/** One profile's settings with every global one, as that profile's session and turns see them. */
export const ProfileSettings = GlobalSettings.merge(ProfileFields);
export type ProfileSettings = z.infer<typeof ProfileSettings>;

/**
 * A change from the settings window: any subset of one profile's settings (`profile`; the first
 * profile when absent) and the global ones, each field as strict as in the file.
 */
export const SettingsPatch = ProfileSettings.partial().extend({ profile: ProfileId.optional() }).strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const ControlState = z.object({ enabled: z.boolean(), reason: z.string().optional() });

/** Everything the settings window shows: the values, and what the chosen model allows. */
export const SettingsView = z.object({
  /** The profile shown, with every global setting. */
  settings: ProfileSettings,
  /** Which profile `settings` is; a patch names it to change that profile. */
  profile: ProfileId,
  /** Every profile, in the user's order. */
  profiles: z.array(z.object({ id: ProfileId, name: z.string() })),
  /** Per control: whether the chosen model takes it, and why not. */
  controls: z.record(z.string(), ControlState),
  models: z.array(z.string()),
  voices: z.array(z.string()),
  thinkingLevels: z.array(z.string()),
  /** The microphones and speakers present now, to choose from. */
  devices: MediaDeviceList,
  /** Where sessions go and with which API version, and what decided each. */
  connection: z.object({
    endpoint: z.string().optional(),
    endpointFrom: z.enum(['PARLEY_LIVE_URL', 'settings', 'default']),
    /** Why an endpoint was passed over (a host the user did not confirm…), or how a ws(s):// one is used. */
    note: z.string().optional(),
    apiVersion: z.string(),
    apiVersionFrom: z.enum(['PARLEY_API_VERSION', 'model']),
  }),
  /** Set while a chosen device is missing: what Parley uses instead, for the user. */
  deviceNotes: z.object({ input: z.string().optional(), output: z.string().optional() }),
  /** Set while the settings cannot be written (a full or read-only disk): why, and that they apply until Parley quits. */
  notSaved: z.string().optional(),
  /** Every tool Gemini could call, with its permission now. */
  tools: z.array(ToolView),
  /** What Parley remembers across conversations. */
  memory: MemoryNotes,
  /** The MCP servers and their state. */
  mcp: McpView,
});
export type SettingsView = z.infer<typeof SettingsView>;

/** A profile named by id: to show it in Settings, or to delete it. */
export const ProfileRequest = z.object({ id: ProfileId }).strict();

/** A new profile, from a template or as a copy of another. */
export const AddProfileRequest = z.union([
  z.object({ template: z.enum(['assistant', 'interpreter']) }).strict(),
  z.object({ duplicate: ProfileId }).strict(),
]);

export const RenameProfileRequest = z.object({ id: ProfileId, name: z.string().trim().min(1).max(40) }).strict();

/** What renderers may know about the API key: never the key, at most its last four characters. */
export const CredentialsView = z.object({
  origin: z.enum(['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'settings', 'none']),
  last4: z.string().max(4).optional(),
  /** False where the OS offers no way to encrypt: the key cannot be stored. */
  encryptionAvailable: z.boolean(),
  /** Linux without a keyring: stored keys are only obfuscated, so Parley asks first. */
  weakEncryption: z.boolean(),
});
export type CredentialsView = z.infer<typeof CredentialsView>;

export const SetApiKeyRequest = z
  .object({ key: z.string().trim().min(1).max(500), allowWeakEncryption: z.boolean().optional() })
  .strict();

export const SetApiKeyResult = z.object({
  saved: z.boolean(),
  /** Why the key was not saved, for the user. */
  problem: z.string().optional(),
  credentials: CredentialsView,
});
export type SetApiKeyResult = z.infer<typeof SetApiKeyResult>;

/** What became of a change to the MCP servers: saved, or why not (nothing was written then). */
export const McpEditResult = z.object({
  saved: z.boolean(),
  /** Each by the field of the server form it is about; '' for the change as a whole. */
  problems: z.array(McpFieldProblem),
  settings: SettingsView,
});
export type McpEditResult = z.infer<typeof McpEditResult>;

/** A server named in Settings (to remove it, or to turn it on or off). */
export const McpServerName = z.object({ name: z.string().min(1).max(200) }).strict();
export const McpServerEnabled = z.object({ name: z.string().min(1).max(200), enabled: z.boolean() }).strict();

/** The servers taken from a claude_desktop_config.json the user chose, and those left out and why. */
export const McpImportResult = z.object({
  /** The file chosen; absent when the user cancelled. */
  file: z.string().optional(),
  imported: z.array(z.string()),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  /** Why nothing could be imported (the file is not JSON, mcp.json cannot be written…). */
  problem: z.string().optional(),
  /** Something the user should know about what was imported. */
  note: z.string().optional(),
  settings: SettingsView,
});
export type McpImportResult = z.infer<typeof McpImportResult>;
