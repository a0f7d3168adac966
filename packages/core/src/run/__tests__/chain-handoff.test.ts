import { createHandoff } from '../chain-handoff';

describe('createHandoff', () => {
  it('gives a worker the handed chain before the queue, and ends it once this thread is done', async () => {
    const h = createHandoff(1, 1);
    const queue = ['03', '04'];
    expect(h.give('01')).toBe(true);
    // One waiting per worker: the next goes to the next pass.
    expect(h.give('02')).toBe(false);
    expect(await h.next(queue)).toBe('01');
    expect(await h.next(queue)).toBe('03');
    expect(await h.next(queue)).toBe('04');
    // Nothing left, but this thread may still hand one over: the worker waits for it.
    const waiting = h.next(queue);
    expect(h.give('05')).toBe(true);
    expect(await waiting).toBe('05');
    const last = h.next(queue);
    h.close();
    expect(await last).toBeUndefined();
  });

  it('settles untilIdle once this thread is done with nothing handed and the queue empty', async () => {
    const h = createHandoff(1, 1);
    const queue: string[] = [];
    let idle = false;
    const settled = h.untilIdle(queue).then(() => {
      idle = true;
    });
    expect(h.give('01')).toBe(true);
    h.close();
    await new Promise((r) => setImmediate(r));
    // A chain is still handed: a worker is wanted for it.
    expect(idle).toBe(false);
    expect(await h.next(queue)).toBe('01');
    await settled;
    expect(idle).toBe(true);
  });

  it('wants no worker for what a stopped run left in the queue, but one for a queue of the workers own', async () => {
    const fed = createHandoff(1, 1);
    fed.close();
    // This thread stopped (failFast) with chains still queued: nothing to join for.
    await fed.untilIdle(['07']);
    const own = createHandoff(1, 0);
    let idle = false;
    void own.untilIdle(['07']).then(() => {
      idle = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    expect(await own.next(['07'])).toBe('07');
    await own.untilIdle([]);
  });

  it('returns what is left to the next pass when the last worker leaves, and takes nothing after an abort', async () => {
    const h = createHandoff(2, 1);
    expect(h.give('01')).toBe(true);
    expect(h.give('02')).toBe(true);
    expect(h.leave()).toEqual([]);
    expect(h.leave()).toEqual(['01', '02']);
    expect(h.give('03')).toBe(false);

    const a = createHandoff(1, 1);
    const waiting = a.next([]);
    a.abort();
    expect(await waiting).toBeUndefined();
    expect(a.give('04')).toBe(false);
    await a.untilIdle([]);
  });
});
