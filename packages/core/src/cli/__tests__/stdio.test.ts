import { EventEmitter } from 'node:events';
import type { CodebatchError } from '../../errors/codebatch-error';
import { createProcessWriter } from '../stdio';

/** A stream that records writes and lets the test emit the errors Node would. */
function fakeStream() {
  const emitter = new EventEmitter();
  const written: string[] = [];
  const stream = Object.assign(emitter, { write: (t: string) => written.push(t) });
  const fail = (code: string) => emitter.emit('error', Object.assign(new Error(`write ${code}`), { code }));
  return { stream, written, fail };
}

describe('createProcessWriter', () => {
  it('a closed pipe (EPIPE, then ERR_STREAM_DESTROYED) drops later output silently', () => {
    const { stream, written, fail } = fakeStream();
    const reported: CodebatchError[] = [];
    const out = createProcessWriter(stream, 'stdout', (e) => reported.push(e));
    out.write('first\n');
    fail('EPIPE');
    fail('ERR_STREAM_DESTROYED');
    out.write('second\n');
    expect(written).toEqual(['first\n']);
    expect({ closed: out.closed, failure: out.failure, reported }).toEqual({
      closed: true,
      failure: undefined,
      reported: [],
    });
  });

  it('any other write error (a full disk) is reported once, as E_DISK_FULL, and output stops', () => {
    const { stream, written, fail } = fakeStream();
    const reported: CodebatchError[] = [];
    const out = createProcessWriter(stream, 'stdout', (e) => reported.push(e));
    fail('ENOSPC');
    fail('ENOSPC');
    out.write('lost\n');
    expect(written).toEqual([]);
    expect(reported.map((e) => [e.code, e.message, e.exitCode])).toEqual([
      ['E_DISK_FULL', 'cannot write to stdout: no space left on device', 1],
    ]);
    expect(out.failure).toBe(reported[0]);
  });
});
