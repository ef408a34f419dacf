import type { LiveConnectConfig } from '@google/genai';
import type { ProfileSettings, SettingsView } from '../../../shared/settings';
import type { AppSettings } from '../settings/defaults';
import { EndpointGate, type EndpointChange, type EndpointGateDeps } from './endpoint-gate';
import { buildLiveConfig } from './live-config';
import type { LiveEndpoint } from './live-endpoint';
import { apiVersionFor } from './model-capabilities';
import { effectiveSessionSettings } from './session-settings';

/** Where and how one profile's sessions reach the Live API with the settings in force now. */
export interface ProfileLiveTarget {
  /** Waits for the user's answer when launch asked whether a host may have the key. */
  endpoint(): Promise<LiveEndpoint>;
  /** The session setup for the profile's model, resuming the conversation behind the handle if one is given. */
  config(resumptionHandle?: string): LiveConnectConfig;
}

/** Where Parley reaches the Live API (one endpoint for every profile), and with what each profile connects. */
export interface LiveTarget {
  forProfile(settings: () => ProfileSettings): ProfileLiveTarget;
  /** The endpoint and the profile's API version as Settings shows them, with where each comes from. */
  connectionView(profile: ProfileSettings): SettingsView['connection'];
  /** Checks a requested endpoint setting, asking the user about a new host: what to save, or why not. */
  changeEndpoint(text: string | undefined): Promise<EndpointChange>;
  /** PARLEY_API_VERSION, when the environment pins one. */
  readonly pinnedApiVersion: string | undefined;
}

export type LiveTargetDeps = Pick<EndpointGateDeps, 'env' | 'isPackaged' | 'confirm' | 'answered'> & {
  settings: () => AppSettings;
};

export function liveTarget({ env, settings, ...trust }: LiveTargetDeps): LiveTarget {
  const pinnedApiVersion = env.PARLEY_API_VERSION?.trim() || undefined;
  // The version a feature needs (or the one pinned in the environment), for the setup and the URL alike.
  const apiVersion = (profile: ProfileSettings) => {
    const effective = effectiveSessionSettings(profile);
    return apiVersionFor(effective.model, effective, pinnedApiVersion);
  };
  const gate = new EndpointGate({ env, configured: () => settings().liveEndpoint, ...trust });
  return {
    pinnedApiVersion,
    forProfile: (profile) => ({
      endpoint: async () => ({ baseUrl: (await gate.settled()).baseUrl, apiVersion: apiVersion(profile()) }),
      config: (resumptionHandle) => {
        const effective = effectiveSessionSettings(profile());
        return buildLiveConfig(effective.model, effective, { resumptionHandle, apiVersion: apiVersion(profile()) });
      },
    }),
    connectionView: (profile) => {
      const choice = gate.choice();
      const note = [...choice.passedOver, choice.rewrite ?? []].flat().join(' ');
      return {
        endpoint: choice.baseUrl,
        endpointFrom: choice.from,
        ...(note ? { note } : {}),
        apiVersion: apiVersion(profile),
        apiVersionFrom: pinnedApiVersion ? 'PARLEY_API_VERSION' : 'model',
      };
    },
    changeEndpoint: (text) => gate.change(text),
  };
}
