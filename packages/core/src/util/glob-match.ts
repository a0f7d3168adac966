import { CodebatchError, type ErrorCode } from '../errors/codebatch-error';
import { expandBraces, findClassEnd } from './glob-braces';

/**
 * Glob matching in time linear in the path (times the pattern size), whatever the pattern.
 *
 * Why not picomatch: it compiles a glob to a backtracking RegExp, and `*a*a*a*a*a*a*b`
 * against a 60-character name that does not match takes seconds (each extra star multiplies
 * the time by the name length). Globs come from the command line and from config files
 * committed to a repository, so one pattern could stall every snapshot. Here a glob is
 * compiled to a Thompson NFA and run by keeping the set of live states, one step per
 * character: no backtracking, so no blow-up.
 *
 * Syntax (picomatch's, with `dot: true`; paths are canonical: `/`-separated, no `.`/`..`
 * segments, no empty segments):
 * - `*` any run of characters except `/`; `?` one character except `/`;
 * - `**` as a whole segment: any number of segments (`**\/b` also matches `b`, and `a/**` also
 *   `a`, but `a*\/**` needs something below: picomatch's rule); elsewhere (`a**b`) it is `*`;
 * - `[abc]`, `[a-z]`, `[!a]` / `[^a]`, `[[:alpha:]]`: one character (never `/`);
 * - `{a,b}`, `{1..3}`: brace expansion (at most MAX_EXPANSIONS patterns);
 * - `@(a|b)`, `?(a|b)`, `*(a|b)`, `+(a|b)` and `(a|b)`: extglobs within a segment;
 * - `\x`: a literal `x`; a leading `!` negates the whole glob.
 * `!(a|b)` (match anything but) is refused: it is not regular in a way an NFA can run without
 * an exponential construction, and `--exclude` says the same thing plainly.
 * Characters are code points, so `?` matches one emoji.
 */

/** More alternatives than this after brace expansion is refused (each is matched in turn). */
export const MAX_EXPANSIONS = 256;

type ClassTest = (cp: number) => boolean;

type GlobNode =
  | { kind: 'char'; cp: number }
  | { kind: 'any' }
  | { kind: 'star' }
  /** Any run of characters, `/` included: what a globstar segment stands for. */
  | { kind: 'deep' }
  | { kind: 'class'; test: ClassTest }
  | { kind: 'opt'; body: GlobNode[] }
  | { kind: 'group'; op: '@' | '?' | '*' | '+'; alts: GlobNode[][] }
  /** `**` standing alone as a segment; resolved against its neighbours after parsing. */
  | { kind: 'globstar' };

const SLASH = 0x2f;

const POSIX_CLASSES: Record<string, ClassTest> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  ascii: (c) => c < 0x80,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  word: (c) => isAlpha(c) || isDigit(c) || c === 0x5f,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function invalid(code: ErrorCode, pattern: string, reason: string, hint: string): CodebatchError {
  return new CodebatchError(code, `glob ${JSON.stringify(pattern)}: ${reason}`, {
    hints: [hint],
    details: { glob: pattern },
  });
}

/** Parses `[...]` (the text between the brackets, `!`/`^` included) into a test. */
function parseClass(body: string): ClassTest {
  let i = 0;
  const negated = body[0] === '!' || body[0] === '^';
  if (negated) i = 1;
  const tests: ClassTest[] = [];
  const chars = new Set<number>();
  const ranges: [number, number][] = [];
  const cps = Array.from(body.slice(i));
  for (let k = 0; k < cps.length; k += 1) {
    let ch = cps[k]!;
    if (ch === '[' && cps[k + 1] === ':') {
      const rest = cps.slice(k + 2).join('');
      const end = rest.indexOf(':]');
      const test = end === -1 ? undefined : POSIX_CLASSES[rest.slice(0, end)];
      if (test) {
        tests.push(test);
        k += 2 + Array.from(rest.slice(0, end)).length + 1;
        continue;
      }
    }
    if (ch === '\\' && k + 1 < cps.length) ch = cps[++k]!;
    const from = ch.codePointAt(0)!;
    if (cps[k + 1] === '-' && k + 2 < cps.length) {
      let toCh = cps[k + 2]!;
      let skip = 2;
      if (toCh === '\\' && k + 3 < cps.length) {
        toCh = cps[k + 3]!;
        skip = 3;
      }
      ranges.push([from, toCh.codePointAt(0)!]);
      k += skip;
    } else chars.add(from);
  }
  const inClass = (c: number) =>
    chars.has(c) || ranges.some(([lo, hi]) => c >= lo && c <= hi) || tests.some((t) => t(c));
  // A class never matches `/` (git's and bash's FNM_PATHNAME rule): it stays within a segment.
  return negated ? (c) => c !== SLASH && !inClass(c) : (c) => c !== SLASH && inClass(c);
}

/**
 * Pairs of `(` / `)` (code point indexes), found once up front so that parsing never tries a
 * group and backs out (which, nested, would be exponential in the number of `(`).
 */
function matchParens(cps: readonly string[], text: string, unit: readonly number[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < cps.length; i += 1) {
    const ch = cps[i]!;
    if (ch === '\\') i += 1;
    else if (ch === '[') {
      const endUnit = findClassEnd(text, unit[i]!);
      if (endUnit !== -1) while (unit[i + 1]! <= endUnit) i += 1;
    } else if (ch === '(') open.push(i);
    else if (ch === ')' && open.length > 0) pairs.set(open.pop()!, i);
  }
  return pairs;
}

interface Parser {
  cps: string[];
  text: string;
  /** Code unit offset of each code point index, for findClassEnd. */
  unit: number[];
  parens: Map<number, number>;
  pattern: string;
  code: ErrorCode;
}

/** Parses cps[from, to) into nodes; `top` is false inside an extglob (no globstars there). */
function parseRange(p: Parser, from: number, to: number, top: boolean): GlobNode[] {
  const nodes: GlobNode[] = [];
  const { cps } = p;
  let i = from;
  while (i < to) {
    const ch = cps[i]!;
    const next = cps[i + 1];
    const groupClose = next === '(' ? p.parens.get(i + 1) : undefined;
    if (groupClose !== undefined && groupClose < to && '@?*+!'.includes(ch)) {
      if (ch === '!') {
        throw invalid(
          p.code,
          p.pattern,
          'negated extglobs `!(...)` are not supported',
          'Name what to leave out with --exclude (or an "exclude" entry) instead.',
        );
      }
      nodes.push({
        kind: 'group',
        op: ch as '@' | '?' | '*' | '+',
        alts: parseAlternatives(p, i + 2, groupClose),
      });
      i = groupClose + 1;
      continue;
    }
    if (ch === '(' && p.parens.has(i) && p.parens.get(i)! < to) {
      const close = p.parens.get(i)!;
      nodes.push({ kind: 'group', op: '@', alts: parseAlternatives(p, i + 1, close) });
      i = close + 1;
      continue;
    }
    if (ch === '\\' && i + 1 < to) {
      nodes.push({ kind: 'char', cp: cps[i + 1]!.codePointAt(0)! });
      i += 2;
      continue;
    }
    if (ch === '*') {
      let j = i;
      while (j < to && cps[j] === '*') j += 1;
      // `**(a|b)` is a star then the extglob `*(a|b)`: leave the last star to it.
      const extglobAfter = cps[j] === '(' && (p.parens.get(j) ?? to) < to;
      if (extglobAfter) j -= 1;
      // Consecutive stars are one star (the first step against blow-ups), unless `**` is a
      // whole segment.
      const wholeSegment =
        top && j - i === 2 && (i === from || cps[i - 1] === '/') && (j === to || cps[j] === '/');
      nodes.push(wholeSegment ? { kind: 'globstar' } : { kind: 'star' });
      i = j;
      continue;
    }
    if (ch === '?') {
      nodes.push({ kind: 'any' });
      i += 1;
      continue;
    }
    if (ch === '[') {
      const endUnit = findClassEnd(p.text, p.unit[i]!);
      if (endUnit !== -1) {
        let j = i;
        while (p.unit[j]! < endUnit) j += 1;
        if (j < to) {
          nodes.push({ kind: 'class', test: parseClass(cps.slice(i + 1, j).join('')) });
          i = j + 1;
          continue;
        }
      }
    }
    nodes.push({ kind: 'char', cp: ch.codePointAt(0)! });
    i += 1;
  }
  return top ? resolveGlobstars(nodes) : nodes;
}

/** Splits cps[from, to) at the `|` that belong to this group, and parses each part. */
function parseAlternatives(p: Parser, from: number, to: number): GlobNode[][] {
  const alts: GlobNode[][] = [];
  let start = from;
  for (let i = from; i < to; i += 1) {
    const ch = p.cps[i]!;
    if (ch === '\\') i += 1;
    else if (ch === '(' && p.parens.has(i)) i = p.parens.get(i)!;
    else if (ch === '[') {
      const endUnit = findClassEnd(p.text, p.unit[i]!);
      if (endUnit !== -1) while (p.unit[i + 1]! <= endUnit) i += 1;
    } else if (ch === '|') {
      alts.push(parseRange(p, start, i, false));
      start = i + 1;
    }
  }
  alts.push(parseRange(p, start, to, false));
  return alts;
}

/**
 * Turns each globstar into what it means next to its slashes: `**\/` at the start or after a
 * `/` is "any segments, each with its slash, or none"; a trailing `/**` is "this directory, or
 * anything below it"; `**` alone is anything.
 */
function resolveGlobstars(nodes: GlobNode[]): GlobNode[] {
  const isSlash = (n: GlobNode | undefined) => n?.kind === 'char' && n.cp === SLASH;
  const out: GlobNode[] = [];
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i]!;
    if (node.kind !== 'globstar') {
      out.push(node);
      continue;
    }
    if (isSlash(nodes[i + 1])) {
      out.push({ kind: 'opt', body: [{ kind: 'deep' }, { kind: 'char', cp: SLASH }] });
      i += 1;
    } else if (isSlash(out.at(-1))) {
      out.pop();
      const below: GlobNode[] = [{ kind: 'char', cp: SLASH }, { kind: 'deep' }];
      // picomatch's rule, kept for compatibility: `a/**` matches `a` too, `*/**` does not.
      if (out.at(-1)?.kind === 'star') out.push(...below);
      else out.push({ kind: 'opt', body: below });
    } else out.push({ kind: 'deep' });
  }
  return out;
}

// NFA program: parallel arrays indexed by state. Consuming states step to out1; SPLIT states
// are epsilon moves to out1 and out2; MATCH accepts.
const CHAR = 0;
const ANY = 1;
const DEEP = 2;
const CLASS = 3;
const SPLIT = 4;
const MATCH = 5;

class Program {
  readonly op: number[] = [];
  readonly arg: number[] = [];
  readonly out1: number[] = [];
  readonly out2: number[] = [];
  readonly classes: ClassTest[] = [];

  add(op: number, arg: number, out1: number, out2 = -1): number {
    this.op.push(op);
    this.arg.push(arg);
    this.out1.push(out1);
    this.out2.push(out2);
    return this.op.length - 1;
  }

  compileSeq(nodes: readonly GlobNode[], next: number): number {
    let start = next;
    for (let i = nodes.length - 1; i >= 0; i -= 1) start = this.compileNode(nodes[i]!, start);
    return start;
  }

  /** A choice between alternatives that all continue at `next`. */
  compileAlts(alts: readonly GlobNode[][], next: number): number {
    let start = this.compileSeq(alts[alts.length - 1]!, next);
    for (let i = alts.length - 2; i >= 0; i -= 1)
      start = this.add(SPLIT, 0, this.compileSeq(alts[i]!, next), start);
    return start;
  }

  /** `body*`: a split that loops through the body back to itself. */
  loop(next: number, body: (again: number) => number): number {
    const split = this.add(SPLIT, 0, -1, next);
    this.out1[split] = body(split);
    return split;
  }

  compileNode(node: GlobNode, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.add(CHAR, node.cp, next);
      case 'any':
        return this.add(ANY, 0, next);
      case 'class':
        this.classes.push(node.test);
        return this.add(CLASS, this.classes.length - 1, next);
      case 'star':
        return this.loop(next, (again) => this.add(ANY, 0, again));
      case 'deep':
      case 'globstar':
        return this.loop(next, (again) => this.add(DEEP, 0, again));
      case 'opt':
        return this.add(SPLIT, 0, this.compileSeq(node.body, next), next);
      case 'group':
        switch (node.op) {
          case '@':
            return this.compileAlts(node.alts, next);
          case '?':
            return this.add(SPLIT, 0, this.compileAlts(node.alts, next), next);
          case '*':
            return this.loop(next, (again) => this.compileAlts(node.alts, again));
          case '+': {
            // One pass through the group, then `*(...)`.
            const again = this.add(SPLIT, 0, -1, next);
            const body = this.compileAlts(node.alts, again);
            this.out1[again] = body;
            return body;
          }
        }
    }
  }
}

/** A set of live NFA states, with its transitions filled in as inputs reach them. */
interface DfaState {
  states: Int32Array;
  accepts: boolean;
  next: Map<number, DfaState>;
}

/**
 * Memory bound of the DFA cache of one glob, in NFA state ids held (4 bytes each); past it the
 * cache starts over. Transitions per DFA state are bounded the same way.
 */
const MAX_CACHED_IDS = 1 << 18;
const MAX_TRANSITIONS = 4096;

/**
 * Runs the program over `input`. The set of live NFA states advances one code point at a
 * time (Thompson's simulation: linear, no backtracking); each set reached is cached as a DFA
 * state with its transitions, so paths that share characters and structure, which is all of
 * them, cost a map lookup per character. A new DFA state costs one NFA step, so the worst
 * case stays linear in the path times the program size.
 */
function createRunner(program: Program, start: number): (input: string) => boolean {
  const { op, arg, out1, out2, classes } = program;
  const size = op.length;
  // Float64: a generation counter never wraps in practice (2^53), and a wrapped one would make
  // marks lie and the closure loop forever.
  const mark = new Float64Array(size);
  let generation = 0;
  const list = new Int32Array(size);
  // Every SPLIT pushes at most its two successors, once per closure.
  const stack = new Int32Array(2 * size + 1);
  const dead: DfaState = { states: new Int32Array(0), accepts: false, next: new Map() };
  let cache = new Map<string, DfaState>();
  let cachedIds = 0;
  let stale = false;

  /** Adds `state` and everything reachable from it by epsilon moves to `list`. */
  const addClosure = (length: number, state: number): number => {
    let n = length;
    let top = 0;
    stack[top++] = state;
    while (top > 0) {
      const s = stack[--top]!;
      if (mark[s] === generation) continue;
      mark[s] = generation;
      if (op[s] === SPLIT) {
        if (mark[out2[s]!] !== generation) stack[top++] = out2[s]!;
        if (mark[out1[s]!] !== generation) stack[top++] = out1[s]!;
      } else list[n++] = s;
    }
    return n;
  };

  /** The DFA state for list[0, n): shared when the same set was reached before. */
  const intern = (n: number): DfaState => {
    if (n === 0) return dead;
    const states = list.slice(0, n).sort();
    const key = states.join(',');
    let state = cache.get(key);
    if (!state) {
      if (cachedIds + n > MAX_CACHED_IDS) {
        // Start over at the next input: dropping `initial` drops the whole old graph.
        cache = new Map();
        cachedIds = 0;
        stale = true;
      }
      cachedIds += n;
      let accepts = false;
      for (const s of states) if (op[s] === MATCH) accepts = true;
      state = { states, accepts, next: new Map() };
      cache.set(key, state);
    }
    return state;
  };

  const step = (from: DfaState, cp: number): DfaState => {
    generation += 1;
    let n = 0;
    for (const s of from.states) {
      let ok: boolean;
      switch (op[s]) {
        case CHAR:
          ok = arg[s] === cp;
          break;
        case ANY:
          ok = cp !== SLASH;
          break;
        case DEEP:
          ok = true;
          break;
        case CLASS:
          ok = classes[arg[s]!]!(cp);
          break;
        default:
          ok = false;
      }
      if (ok) n = addClosure(n, out1[s]!);
    }
    return intern(n);
  };

  generation += 1;
  let initial = intern(addClosure(0, start));

  return (input) => {
    if (stale) {
      stale = false;
      generation += 1;
      initial = intern(addClosure(0, start));
    }
    let state = initial;
    for (let i = 0; i < input.length; i += 1) {
      const cp = input.codePointAt(i)!;
      if (cp > 0xffff) i += 1;
      let next = state.next.get(cp);
      if (!next) {
        next = step(state, cp);
        if (state.next.size >= MAX_TRANSITIONS) state.next.clear();
        state.next.set(cp, next);
      }
      if (next === dead) return false;
      state = next;
    }
    return state.accepts;
  };
}

export interface CompileGlobOptions {
  /** Code of the error for an unsupported or oversized glob (default E_CONFIG_INVALID). */
  errorCode?: ErrorCode;
}

/**
 * Compiles one glob into a predicate over canonical paths.
 * @param pattern the glob (syntax in this module's header)
 * @param options the error code to throw with (E_USAGE for a `--path` query option)
 * @returns a predicate taking time linear in the path length, never backtracking
 * @throws CodebatchError for `!(...)` or a brace expansion of more than MAX_EXPANSIONS globs
 */
export function compileGlob(pattern: string, options: CompileGlobOptions = {}): (path: string) => boolean {
  const code = options.errorCode ?? 'E_CONFIG_INVALID';
  let body = pattern;
  let negated = false;
  while (body.startsWith('!') && body[1] !== '(') {
    negated = !negated;
    body = body.slice(1);
  }
  const expanded = expandBraces(body, MAX_EXPANSIONS);
  if (!expanded) {
    throw invalid(
      code,
      pattern,
      `its braces expand to more than ${MAX_EXPANSIONS} globs`,
      'Split it into several globs (repeat the option, or list them in the config file).',
    );
  }
  const literals = new Set<string>();
  const parsed: GlobNode[][] = [];
  for (const glob of expanded) {
    const cps = Array.from(glob);
    const unit: number[] = [];
    for (let i = 0, u = 0; i <= cps.length; u += cps[i]?.length ?? 0, i += 1) unit.push(u);
    const p: Parser = { cps, text: glob, unit, parens: matchParens(cps, glob, unit), pattern, code };
    const nodes = parseRange(p, 0, cps.length, true);
    // A glob of plain characters (`node_modules`, `dist`) is a string comparison.
    if (nodes.every((n) => n.kind === 'char')) {
      literals.add(String.fromCodePoint(...nodes.map((n) => (n as { cp: number }).cp)));
    } else parsed.push(nodes);
  }
  let run: ((input: string) => boolean) | undefined;
  if (parsed.length > 0) {
    const program = new Program();
    const match = program.add(MATCH, 0, -1);
    run = createRunner(program, program.compileAlts(parsed, match));
  }
  const matches = (path: string) => literals.has(path) || (run?.(path) ?? false);
  return negated ? (path) => !matches(path) : matches;
}
