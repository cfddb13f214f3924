/**
 * One Aho–Corasick automaton for every term of a rule list: reading a message costs one table step
 * per unit, however many terms there are.
 *
 * The automaton reads normalised text with runs of the same letter collapsed (`baaaad` is read as
 * `bad`); patterns are collapsed the same way when they are built, and the matcher checks run
 * lengths afterwards (`ass` needs a run of at least two `s`). Letters are units above 0x40;
 * digits, spaces and `$` never collapse, because `4004` is not `404`.
 *
 * Transitions for the most frequent symbols are a dense table (one array read per step). When a
 * list is so large that a dense row for every symbol would not fit the memory budget, the rarer
 * symbols use goto edges in a hash table and failure links instead, which is the textbook form.
 */

/** Units above this collapse into runs; see the module comment. */
export const LAST_UNCOLLAPSED_UNIT = 0x40;

/** Dense transition entries allowed (Int32), about 16 MB. */
const DEFAULT_DENSE_BUDGET = 1 << 22;

/** Where patterns were found by one scan, reused across messages. */
export class ScanScratch {
  /** For each candidate: the pattern index, and where its last run starts in the text. */
  candidatePatterns = new Int32Array(64);
  candidatePositions = new Int32Array(64);
  candidateCount = 0;

  /** Records that `pattern` ends with the run starting at `position`. */
  pushCandidate(pattern: number, position: number): void {
    const count = this.candidateCount;
    if (count === this.candidatePatterns.length) {
      const patterns = new Int32Array(count * 2);
      patterns.set(this.candidatePatterns);
      this.candidatePatterns = patterns;
      const positions = new Int32Array(count * 2);
      positions.set(this.candidatePositions);
      this.candidatePositions = positions;
    }
    this.candidatePatterns[count] = pattern;
    this.candidatePositions[count] = position;
    this.candidateCount = count + 1;
  }
}

/** Collapses runs of the same letter; returns the symbols and the length of each run. */
export function collapseRuns(units: readonly number[]): { symbols: number[]; runs: number[] } {
  const symbols: number[] = [];
  const runs: number[] = [];
  for (const unit of units) {
    const last = symbols.length - 1;
    if (last >= 0 && symbols[last] === unit && unit > LAST_UNCOLLAPSED_UNIT) runs[last]! += 1;
    else {
      symbols.push(unit);
      runs.push(1);
    }
  }
  return { symbols, runs };
}

/** The automaton of one rule list's term variants; see the module comment. */
export class Automaton {
  /** Unit → symbol index; 0 for units that occur in no pattern (they lead back to the root). */
  private readonly alphabet: Uint16Array;
  /** Symbols below this index use `dense`, the others the sparse goto table. */
  private readonly denseWidth: number;
  private readonly dense: Int32Array;
  private readonly fail: Int32Array;
  private readonly sparseStates: Int32Array;
  private readonly sparseSymbols: Int32Array;
  private readonly sparseTargets: Int32Array;
  private readonly sparseMask: number;
  /** States from this number on recognise at least one pattern. */
  private readonly firstOutputState: number;
  /** Patterns recognised in each state from `firstOutputState` on, failure links included. */
  private readonly outputStart: Int32Array;
  private readonly outputPatterns: Int32Array;
  readonly stateCount: number;

  /**
   * Builds the automaton for already-collapsed patterns (each a list of units). Pattern indices
   * are positions in `patterns`.
   */
  constructor(patterns: ReadonlyArray<readonly number[]>, denseBudget = DEFAULT_DENSE_BUDGET) {
    // Symbol indices by frequency, so the dense part covers the symbols met most often.
    const frequency = new Map<number, number>();
    for (const pattern of patterns) {
      for (const unit of pattern) frequency.set(unit, (frequency.get(unit) ?? 0) + 1);
    }
    const byFrequency = [...frequency.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (byFrequency.length >= 0xffff) throw new Error('too many distinct characters in the terms');
    this.alphabet = new Uint16Array(0x10000);
    byFrequency.forEach(([unit], index) => (this.alphabet[unit] = index + 1));
    const symbolCount = byFrequency.length + 1;

    // The trie.
    const goto = new Map<number, number>();
    const children: Array<Array<[number, number]>> = [[]];
    const own = new Map<number, number[]>();
    patterns.forEach((pattern, patternIndex) => {
      let state = 0;
      for (const unit of pattern) {
        const symbol = this.alphabet[unit]!;
        const key = state * symbolCount + symbol;
        let next = goto.get(key);
        if (next === undefined) {
          next = children.length;
          children.push([]);
          goto.set(key, next);
          children[state]!.push([symbol, next]);
        }
        state = next;
      }
      const list = own.get(state);
      if (list) list.push(patternIndex);
      else own.set(state, [patternIndex]);
    });
    const stateCount = children.length;
    this.stateCount = stateCount;

    const denseWidth = Math.max(1, Math.min(symbolCount, Math.floor(denseBudget / stateCount)));
    this.denseWidth = denseWidth;
    const dense = new Int32Array(stateCount * denseWidth);
    const fail = new Int32Array(stateCount);
    const child = (state: number, symbol: number) => goto.get(state * symbolCount + symbol);
    const step = (from: number, symbol: number): number => {
      if (symbol < denseWidth) return dense[from * denseWidth + symbol]!;
      let state = from;
      for (;;) {
        const next = child(state, symbol);
        if (next !== undefined) return next;
        if (state === 0) return 0;
        state = fail[state]!;
      }
    };

    // Breadth first, so a state's failure target (always shallower) is complete before it.
    const order: number[] = [0];
    for (let symbol = 1; symbol < denseWidth; symbol += 1) dense[symbol] = child(0, symbol) ?? 0;
    for (let head = 0; head < order.length; head += 1) {
      const state = order[head]!;
      for (const [symbol, next] of children[state]!) {
        fail[next] = state === 0 ? 0 : step(fail[state]!, symbol);
        order.push(next);
      }
      if (state === 0) continue;
      const row = state * denseWidth;
      const failRow = fail[state]! * denseWidth;
      for (let symbol = 1; symbol < denseWidth; symbol += 1) {
        dense[row + symbol] = child(state, symbol) ?? dense[failRow + symbol]!;
      }
    }
    const outputs: number[][] = new Array<number[]>(stateCount);
    for (const state of order) {
      const inherited = state === 0 ? [] : outputs[fail[state]!]!;
      const mine = own.get(state);
      outputs[state] = mine ? [...mine, ...inherited] : inherited;
    }

    // Renumber so that the states where some pattern ends come last: the scan then tells them
    // apart with one comparison instead of reading the output list of every state it visits.
    const renumbered = new Int32Array(stateCount);
    let nextId = 0;
    for (const state of order) if (outputs[state]!.length === 0) renumbered[state] = nextId++;
    this.firstOutputState = nextId;
    for (const state of order) if (outputs[state]!.length > 0) renumbered[state] = nextId++;

    this.dense = new Int32Array(stateCount * denseWidth);
    this.fail = new Int32Array(stateCount);
    for (let state = 0; state < stateCount; state += 1) {
      const id = renumbered[state]!;
      this.fail[id] = renumbered[fail[state]!]!;
      for (let symbol = 0; symbol < denseWidth; symbol += 1) {
        // Entries hold the target's row offset rather than its number: one multiplication less
        // per character in `scan`.
        this.dense[id * denseWidth + symbol] =
          renumbered[dense[state * denseWidth + symbol]!]! * denseWidth;
      }
    }
    this.outputStart = new Int32Array(stateCount - this.firstOutputState + 1);
    const flat: number[] = [];
    for (const state of order) {
      if (outputs[state]!.length === 0) continue;
      this.outputStart[renumbered[state]! - this.firstOutputState] = flat.length;
      flat.push(...outputs[state]!);
    }
    this.outputStart[stateCount - this.firstOutputState] = flat.length;
    this.outputPatterns = Int32Array.from(flat);

    // Goto edges of the symbols outside the dense part, in an open-addressing hash table.
    const sparse: Array<[number, number, number]> = [];
    for (let state = 0; state < stateCount; state += 1) {
      for (const [symbol, next] of children[state]!) {
        if (symbol >= denseWidth) sparse.push([renumbered[state]!, symbol, renumbered[next]!]);
      }
    }
    let capacity = 16;
    while (capacity < sparse.length * 2) capacity *= 2;
    this.sparseMask = capacity - 1;
    this.sparseStates = new Int32Array(capacity).fill(-1);
    this.sparseSymbols = new Int32Array(capacity);
    this.sparseTargets = new Int32Array(capacity);
    for (const [state, symbol, next] of sparse) {
      let slot = sparseHash(state, symbol) & this.sparseMask;
      while (this.sparseStates[slot] !== -1) slot = (slot + 1) & this.sparseMask;
      this.sparseStates[slot] = state;
      this.sparseSymbols[slot] = symbol;
      this.sparseTargets[slot] = next;
    }
  }

  /** Whether some pattern uses a symbol outside the dense table (for tests of both paths). */
  get usesSparseEdges(): boolean {
    return this.sparseStates.some((state) => state !== -1);
  }

  /**
   * Reads `length` normalised units, a run of the same letter as one, and records each pattern
   * that ends at a run: its index and the position where that last run starts.
   */
  scan(units: Uint16Array, length: number, scratch: ScanScratch): void {
    scratch.candidateCount = 0;
    const alphabet = this.alphabet;
    const dense = this.dense;
    const denseWidth = this.denseWidth;
    const firstOutputRow = this.firstOutputState * denseWidth;
    let row = 0; // the current state times denseWidth
    let previous = -1;
    for (let position = 0; position < length; position += 1) {
      const unit = units[position]!;
      if (unit === previous && unit > LAST_UNCOLLAPSED_UNIT) continue;
      previous = unit;
      const symbol = alphabet[unit]!;
      row =
        symbol < denseWidth
          ? dense[row + symbol]!
          : this.sparseStep(row / denseWidth, symbol) * denseWidth;
      if (row < firstOutputRow) continue;
      const state = row / denseWidth - this.firstOutputState;
      const from = this.outputStart[state]!;
      const to = this.outputStart[state + 1]!;
      for (let output = from; output < to; output += 1) {
        scratch.pushCandidate(this.outputPatterns[output]!, position);
      }
    }
  }

  private sparseStep(from: number, symbol: number): number {
    let state = from;
    for (;;) {
      let slot = sparseHash(state, symbol) & this.sparseMask;
      for (;;) {
        const stored = this.sparseStates[slot]!;
        if (stored === -1) break;
        if (stored === state && this.sparseSymbols[slot] === symbol)
          return this.sparseTargets[slot]!;
        slot = (slot + 1) & this.sparseMask;
      }
      if (state === 0) return 0;
      state = this.fail[state]!;
    }
  }
}

function sparseHash(state: number, symbol: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) >>> 0;
}
