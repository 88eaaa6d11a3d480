import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README tells the truth about the two commands', () => {
  it('CI runs exactly the test command README gives', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(read('README.md'))![1]!;
    const testLine = block.split('\n').find((line) => line.includes('# run the tests'))!;
    const readmeCommands = testLine.replace(/#.*$/, '').trim().split(/\s*&&\s*/);
    const ciCommands = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !line.startsWith('set ') && !line.startsWith('cd '));
    // Before them, only the start of the services the tests use.
    expect(ciCommands).toEqual(['.ci/start-postgres', ...readmeCommands]);
    // `npm ci`, not `npm install`: a lock file out of step with package.json fails CI instead of drifting.
    expect(ciCommands[1]).toBe('npm ci');
  });

  it('the run command starts the compiled bot, which npm ci builds', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.start).toBe('node bin/paperboy.js start');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(read('bin/paperboy.js')).toContain('../dist/cli.js');
    // TypeScript is compiled ahead of time: the runtime never needs tsx.
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });
});
