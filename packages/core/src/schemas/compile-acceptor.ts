import type { z } from 'zod';

/** True only for values the schema it was compiled from accepts as they are. */
export type Acceptor = (value: unknown) => boolean;

/**
 * A predicate compiled from a zod schema's definition that accepts only values the schema accepts
 * unchanged (no defaults to fill, no coercion), or undefined when the schema uses anything it
 * does not know. It may turn down values zod would accept: callers run zod on those, and zod
 * alone gives the verdict and its messages. zod stays the one source of the record's shape.
 *
 * Why: every record a task emits is validated before commit. On a cold full run of the 8.8k-file
 * corpus that is 346k records, and zod's safeParse took 1.4-2.1 µs each (0.5 s of the run's main
 * thread at `--parallel 1`); a compiled predicate takes about a tenth of that.
 */
export function compileAcceptor(schema: z.ZodType): Acceptor | undefined {
  return compile(schema as unknown as ZodLike);
}

interface ZodLike {
  _zod: { def: Def; traits?: Set<string> };
}

interface Def {
  type: string;
  checks?: ZodLike[];
  check?: string;
  [key: string]: unknown;
}

function compile(schema: ZodLike): Acceptor | undefined {
  const def = schema._zod.def;
  // Refinements are only understood on strings and numbers, and only those listed there.
  if (def.checks?.length && def.type !== 'string' && def.type !== 'number') return undefined;
  switch (def.type) {
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      return def.checks?.length ? undefined : (v) => typeof v === 'boolean';
    case 'enum': {
      const entries = def.entries as Record<string, unknown>;
      const values = new Set(Object.values(entries));
      if ([...values].some((v) => typeof v !== 'string')) return undefined;
      return (v) => typeof v === 'string' && values.has(v);
    }
    case 'optional': {
      // exactOptional shares the type name and refuses an explicit undefined.
      if (schema._zod.traits?.has('$ZodExactOptional')) return undefined;
      const inner = compile(def.innerType as ZodLike);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'union': {
      // An exclusive union (z.xor) refuses a value that more than one option accepts.
      if (def.inclusive === false) return undefined;
      const options = (def.options as ZodLike[]).map(compile);
      if (options.some((o) => o === undefined)) return undefined;
      const accepts = options as Acceptor[];
      return (v) => accepts.some((accept) => accept(v));
    }
    case 'object':
      return compileObject(def);
    case 'literal': {
      const values = def.values as unknown[];
      if (values.some((v) => typeof v !== 'string' && typeof v !== 'boolean' && !Number.isFinite(v)))
        return undefined;
      const set = new Set(values);
      return (v) => set.has(v);
    }
    case 'default': {
      // A missing value is filled in by zod: only a present one is accepted as it is.
      const inner = compile(def.innerType as ZodLike);
      return inner && ((v) => v !== undefined && inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType as ZodLike);
      return inner && ((v) => v === null || inner(v));
    }
    case 'array': {
      const element = compile(def.element as ZodLike);
      return element && ((v) => Array.isArray(v) && v.every((e) => element(e)));
    }
    case 'tuple': {
      if (def.rest) return undefined;
      const items = (def.items as ZodLike[]).map(compile);
      if (items.some((i) => i === undefined)) return undefined;
      const accepts = items as Acceptor[];
      // Exactly as many elements as items: zod also takes a shorter tuple with optional items last.
      return (v) =>
        Array.isArray(v) && v.length === accepts.length && accepts.every((accept, i) => accept(v[i]));
    }
    case 'record':
      return compileRecord(def);
    case 'unknown':
    case 'any':
      return () => true;
    default:
      return undefined;
  }
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function compileRecord(def: Def): Acceptor | undefined {
  const key = (def.keyType as ZodLike)._zod.def;
  // Keys of any string; a key schema with checks or a fixed set of keys is left to zod.
  if (key.type !== 'string' || key.checks?.length || def.mode === 'loose') return undefined;
  const value = compile(def.valueType as ZodLike);
  if (!value) return undefined;
  return (v) => {
    if (!isPlainRecord(v)) return false;
    // zod leaves out a `__proto__` key, and reads symbol keys: neither comes as it was.
    if (Object.getOwnPropertySymbols(v).length > 0) return false;
    for (const k of Object.keys(v)) if (k === '__proto__' || !value(v[k])) return false;
    return true;
  };
}

function compileString(def: Def): Acceptor | undefined {
  const tests: ((s: string) => boolean)[] = [];
  for (const c of def.checks ?? []) {
    const check = c._zod.def;
    // zod measures lengths in code points where UTF-16 units could mislead; at most 1, both agree.
    if (check.check === 'min_length' && (check.minimum as number) <= 1) {
      const min = check.minimum as number;
      tests.push((s) => s.length >= min);
    } else if (
      check.check === 'string_format' &&
      (check.format === 'regex' || check.format === 'datetime') &&
      check.pattern instanceof RegExp
    ) {
      // A datetime is checked by its pattern alone (zod's $ZodISODateTime), as a regex is.
      const pattern = check.pattern as RegExp;
      if (pattern.global || pattern.sticky) return undefined;
      tests.push((s) => pattern.test(s));
    } else {
      return undefined;
    }
  }
  return (v) => typeof v === 'string' && tests.every((test) => test(v));
}

function compileNumber(def: Def): Acceptor | undefined {
  const tests: ((n: number) => boolean)[] = [];
  for (const c of def.checks ?? []) {
    const check = c._zod.def;
    if (check.check === 'number_format' && check.format === 'safeint') {
      tests.push((n) => Number.isSafeInteger(n));
    } else if (check.check === 'greater_than') {
      const min = check.value as number;
      tests.push(check.inclusive ? (n) => n >= min : (n) => n > min);
    } else if (check.check === 'less_than') {
      const max = check.value as number;
      tests.push(check.inclusive ? (n) => n <= max : (n) => n < max);
    } else {
      return undefined;
    }
  }
  // zod's number refuses NaN and the infinities.
  return (v) => typeof v === 'number' && Number.isFinite(v) && tests.every((test) => test(v));
}

function compileObject(def: Def): Acceptor | undefined {
  if (def.checks?.length) return undefined;
  const catchall = (def.catchall as ZodLike | undefined)?._zod.def.type;
  // A loose object keeps unknown keys as they are. A strip or strict one takes a value as it is
  // only when it has no other keys (strip would drop them, strict refuse them); other catchalls
  // are left to zod.
  const loose = catchall === 'unknown';
  if (!loose && catchall !== undefined && catchall !== 'never') return undefined;
  const fields: [string, Acceptor][] = [];
  for (const [key, field] of Object.entries(def.shape as Record<string, ZodLike>)) {
    const accept = compile(field);
    if (!accept) return undefined;
    fields.push([key, accept]);
  }
  const known = new Set(fields.map(([key]) => key));
  return (v) => {
    if (!isPlainRecord(v)) return false;
    for (const [key, accept] of fields) if (!accept(v[key])) return false;
    // JSON.parse makes `__proto__` an own key; zod leaves it out of what it returns.
    if (Object.hasOwn(v, '__proto__')) return false;
    if (!loose) {
      if (Object.getOwnPropertySymbols(v).length > 0) return false;
      for (const key in v) if (!known.has(key)) return false;
    }
    return true;
  };
}

const ACCEPTORS = new WeakMap<object, Acceptor | null>();

/**
 * `schema.safeParse(value)`, answered by the schema's compiled acceptor when it takes the value as
 * it is (the same value comes back, not zod's copy of it). Records read on every run (shard
 * states, batch records, files index lines, manifests) go through here: zod took 70 ms of a
 * one-file `check`'s main thread on the 8.8k-file corpus, and 150 ms of the Action's.
 */
export function safeParseFast<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  let accept = ACCEPTORS.get(schema);
  if (accept === undefined) {
    accept = compileAcceptor(schema) ?? null;
    ACCEPTORS.set(schema, accept);
  }
  if (accept?.(value)) return { success: true, data: value as T };
  return schema.safeParse(value);
}
