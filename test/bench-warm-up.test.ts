import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { warmUpSender } from '../bench/lib/send-round.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe("a bench load child's warm-up", () => {
  it('sends its warm-up rounds to a server of its own: the bot it will measure gets none of them', async () => {
    let reached = 0;
    const bot = createServer((_req, res) => {
      reached++;
      res.end('{}');
    });
    servers.push(bot);
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/discord/interactions`;
    await warmUpSender({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":2}' }, 5, 3);
    expect(reached).toBe(0);
  });
});
