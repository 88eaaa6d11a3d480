import { describe, expect, it } from 'vitest';
import { AnswerScheduler } from '../src/commands/answer-scheduler.js';

describe('AnswerScheduler', () => {
  it('answers a command that came alone in its acknowledgement', async () => {
    const answers = new AnswerScheduler();
    expect(await answers.placement()).toBe('in-ack');
    expect(await answers.placement()).toBe('in-ack');
  });

  it('acknowledges commands that arrived together first and answers them after', async () => {
    const answers = new AnswerScheduler();
    expect(await Promise.all([answers.placement(), answers.placement(), answers.placement()])).toEqual(['after-ack', 'after-ack', 'after-ack']);
    // The burst is over: the next one comes alone again.
    expect(await answers.placement()).toBe('in-ack');
  });

  it('starts one later answer per turn of the event loop, so what arrives meanwhile goes first', async () => {
    const answers = new AnswerScheduler();
    const order: string[] = [];
    const first = answers.later(async () => {
      order.push('answer 1');
      // Stands for a request read on the next turn: it must not wait for the second answer.
      setImmediate(() => order.push('request read'));
      return 1;
    });
    const second = answers.later(async () => {
      order.push('answer 2');
      return 2;
    });
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(['answer 1', 'request read', 'answer 2']);
  });

  it('passes a failed answer on to its caller and goes on with the next', async () => {
    const answers = new AnswerScheduler();
    const failed = answers.later(() => Promise.reject(new Error('store gone')));
    const next = answers.later(async () => 'ok');
    await expect(failed).rejects.toThrow('store gone');
    expect(await next).toBe('ok');
  });
});
