import { registerCommands } from '../../adapters/discord/index.js';
import { loadConfig } from './runtime.js';

export async function runRegisterCommandsCommand(options: { guild?: string }): Promise<void> {
  const config = loadConfig();
  const result = await registerCommands(config, { guildId: options.guild });
  const where = result.scope === 'guild' ? `server ${result.guildId} (available at once)` : 'every server (global commands can take up to an hour to appear)';
  process.stdout.write(`Registered ${result.commands.map((c) => `/${c.name}`).join(', ')} for ${where}.\n`);
}
