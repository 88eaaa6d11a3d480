import type { PlatformDescriptor } from '../src/platform.js';
import { consolePlatform } from './console/index.js';
import { discordPlatform } from './discord/index.js';
import { slackPlatform } from './slack/index.js';

/**
 * Every platform paperboy knows. The core loops over this list for settings, channel ids, `start`,
 * `digest --channel`, `doctor` and platform verbs; a new platform is a folder exporting a descriptor, and one
 * line here.
 */
export const PLATFORMS: readonly PlatformDescriptor[] = [slackPlatform, discordPlatform, consolePlatform];
