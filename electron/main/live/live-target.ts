import type { LiveConnectConfig } from '@google/genai';
import type { SettingsView } from '../../../shared/settings';
import type { AppSettings } from '../settings/defaults';
import { EndpointGate, type EndpointChange, type EndpointGateDeps } from './endpoint-gate';
import { buildLiveConfig } from './live-config';
import type { LiveEndpoint } from './live-endpoint';
import { apiVersionFor } from './model-capabilities';
import { effectiveSessionSettings } from './session-settings';

/** Where and how Parley reaches the Live API with the settings in force now. */
export interface LiveTarget {
  /** Waits for the user's answer when launch asked whether a host may have the key. */
  endpoint(): Promise<LiveEndpoint>;
  /** The session setup for the chosen model, resuming the conversation behind the handle if one is given. */
  config(resumptionHandle?: string): LiveConnectConfig;
  /** The endpoint and API version as Settings shows them, with where each comes from. */
  connectionView(): SettingsView['connection'];
  /** Checks a requested endpoint setting, asking the user about a new host: what to save, or why not. */
  changeEndpoint(text: string | undefined): Promise<EndpointChange>;
  /** PARLEY_API_VERSION, when the environment pins one. */
  readonly pinnedApiVersion: string | undefined;
}

export type LiveTargetDeps = Pick<EndpointGateDeps, 'env' | 'isPackaged' | 'confirm' | 'answered'> & {
  settings: () => AppSettings;
};

export function liveTarget({ env, settings: stored, ...trust }: LiveTargetDeps): LiveTarget {
  const settings = () => effectiveSessionSettings(stored());
  const pinnedApiVersion = env.PARLEY_API_VERSION?.trim() || undefined;
  // The version a feature needs (or the one pinned in the environment), for the setup and the URL alike.
  const apiVersion = () => apiVersionFor(settings().model, settings(), pinnedApiVersion);
  const gate = new EndpointGate({ env, configured: () => settings().liveEndpoint, ...trust });
  return {
    pinnedApiVersion,
    endpoint: async () => ({ baseUrl: (await gate.settled()).baseUrl, apiVersion: apiVersion() }),
    config: (resumptionHandle) =>
      buildLiveConfig(settings().model, settings(), { resumptionHandle, apiVersion: apiVersion() }),
    connectionView: () => {
      const choice = gate.choice();
      const note = [...choice.passedOver, choice.rewrite ?? []].flat().join(' ');
      return {
        endpoint: choice.baseUrl,
        endpointFrom: choice.from,
        ...(note ? { note } : {}),
        apiVersion: apiVersion(),
        apiVersionFrom: pinnedApiVersion ? 'PARLEY_API_VERSION' : 'model',
      };
    },
    changeEndpoint: (text) => gate.change(text),
  };
}
