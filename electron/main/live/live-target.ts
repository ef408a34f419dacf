import type { LiveConnectConfig } from '@google/genai';
import type { SettingsView } from '../../../shared/settings';
import type { AppSettings } from '../settings/defaults';
import { buildLiveConfig } from './live-config';
import { liveEndpointFor, type LiveEndpoint } from './live-endpoint';
import { apiVersionFor } from './model-capabilities';

/** Where and how Parley reaches the Live API with the settings in force now. */
export interface LiveTarget {
  endpoint(): LiveEndpoint;
  /** The session setup for the chosen model, resuming the conversation behind the handle if one is given. */
  config(resumptionHandle?: string): LiveConnectConfig;
  /** The endpoint and API version as Settings shows them, with where each comes from. */
  connectionView(): SettingsView['connection'];
  /** PARLEY_API_VERSION, when the environment pins one. */
  readonly pinnedApiVersion: string | undefined;
}

export function liveTarget(env: Readonly<Record<string, string | undefined>>, settings: () => AppSettings): LiveTarget {
  const pinnedApiVersion = env.PARLEY_API_VERSION?.trim() || undefined;
  // The version a feature needs (or the one pinned in the environment), for the setup and the URL alike.
  const apiVersion = () => apiVersionFor(settings().model, settings(), pinnedApiVersion);
  const endpointSetting = () => liveEndpointFor(env, settings().liveEndpoint);
  return {
    pinnedApiVersion,
    endpoint: () => ({ baseUrl: endpointSetting().baseUrl, apiVersion: apiVersion() }),
    config: (resumptionHandle) =>
      buildLiveConfig(settings().model, settings(), { resumptionHandle, apiVersion: apiVersion() }),
    connectionView: () => {
      const endpoint = endpointSetting();
      return {
        endpoint: endpoint.baseUrl,
        endpointFrom: endpoint.from,
        apiVersion: apiVersion(),
        apiVersionFrom: pinnedApiVersion ? 'PARLEY_API_VERSION' : 'model',
      };
    },
  };
}
