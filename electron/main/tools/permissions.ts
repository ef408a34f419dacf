import type { ToolPermission, ToolView } from '../../../shared/tools';
import type { ProfileSettings } from '../../../shared/settings';
import type { Tool } from './tool';

type ToolSettings = ProfileSettings['tools'];

export interface Permission {
  permission: ToolPermission;
  /** Why it is not what the user chose. */
  note?: string;
}

/** What a permission is saved under: an MCP tool's Gemini name can change, its server and name do not. */
export function permissionKey(tool: Tool): string {
  return tool.server === undefined ? tool.name : `${tool.server}/${tool.title}`;
}

/** Read-only built-ins run without asking; whatever writes, opens or comes from a server asks first. */
export function defaultPermission(tool: Tool): ToolPermission {
  return tool.readOnly && tool.server === undefined ? 'always' : 'ask';
}

/**
 * The permission in force for a tool. An MCP tool the user allowed always asks again once its
 * server changes its description: a server must not swap what the user approved.
 */
export function permissionOf(tool: Tool, settings: ToolSettings): Permission {
  const key = permissionKey(tool);
  const chosen = settings.permissions[key] ?? defaultPermission(tool);
  if (chosen !== 'always' || tool.server === undefined) return { permission: chosen };
  if (settings.allowedDescriptions[key] === tool.description) return { permission: 'always' };
  return {
    permission: 'ask',
    note: `Asks again: ${tool.server} changed what this tool says it does since you allowed it always.`,
  };
}

/** The change to the settings that makes a tool run without asking from now on. */
export function allowAlways(tool: Tool, settings: ToolSettings): ToolSettings {
  const key = permissionKey(tool);
  const allowedDescriptions =
    tool.server === undefined
      ? settings.allowedDescriptions
      : { ...settings.allowedDescriptions, [key]: tool.description };
  return { ...settings, permissions: { ...settings.permissions, [key]: 'always' }, allowedDescriptions };
}

export function toolViews(tools: readonly Tool[], settings: ToolSettings): ToolView[] {
  return tools.map((tool) => {
    const { permission, note } = permissionOf(tool, settings);
    return {
      name: permissionKey(tool),
      tool: tool.title,
      ...(tool.server !== undefined ? { server: tool.server } : {}),
      description: tool.description,
      permission,
      ...(note ? { note } : {}),
    };
  });
}
