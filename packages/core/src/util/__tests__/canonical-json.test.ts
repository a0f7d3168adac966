import { canonicalJson, stableJsonPretty } from '../canonical-json';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code unit at every depth, drops undefined members, writes no whitespace', () => {
    const value = {
      b: [3, { z: 1, a: undefined, é: 'x', B: null }],
      a: 'q"\n\u2028',
      '😀': true,
      Z: -0.5,
      c: undefined,
      ab: [],
      '': {},
    };
    expect(canonicalJson(value)).toBe(
      '{"":{},"Z":-0.5,"a":"q\\"\\n\u2028","ab":[],"b":[3,{"B":null,"z":1,"é":"x"}],"😀":true}',
    );
  });

  it('writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson([undefined, 1, [undefined]])).toBe('[null,1,[null]]');
  });

  it('rejects what JSON cannot represent exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot encode function/);
    expect(() => canonicalJson(undefined)).toThrow(/cannot encode undefined/);
  });

  it('agrees with JSON.stringify on key-sorted input (same bytes for hashing)', () => {
    const value = { a: [1, 'two', { b: false, c: 1e21 }], d: 'ü\ud800' };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(stableJsonPretty({ b: 1, a: [2] })).toBe('{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n');
  });

  it('writes arrays of strings (bundle members) with the same escapes as any other string', () => {
    const members = [['src/a "quoted".ts', 'sha256:ab'], ['src/\u2028\ud800\u0001/ü.ts', 'sha256:cd'], []];
    expect(canonicalJson({ members, mixed: ['a', 1, 'b'] })).toBe(
      '{"members":[["src/a \\"quoted\\".ts","sha256:ab"],["src/\u2028\\ud800\\u0001/ü.ts","sha256:cd"],[]],"mixed":["a",1,"b"]}',
    );
  });

  it('encodes a list of string lists whole only when every item is one: anything else keeps its keys sorted', () => {
    expect(canonicalJson([['b', 'a'], []])).toBe('[["b","a"],[]]');
    expect(canonicalJson([['x'], { b: 1, a: 2 }])).toBe('[["x"],{"a":2,"b":1}]');
    expect(canonicalJson([['x'], ['y', { b: 1, a: 2 }]])).toBe('[["x"],["y",{"a":2,"b":1}]]');
    expect(canonicalJson([['x'], [1, 'y']])).toBe('[["x"],[1,"y"]]');
  });
});
