/**
 * Shape: what one message looks like, without memory. Capitals (count and share), runs of symbols
 * or emoji, links outside an allow-list, mentions, length. Each reads at most
 * {@link MAX_SHAPE_UNITS} UTF-16 units of a text, in one pass.
 */
import type { AutomodScope, RuleOfKind } from './config';
import { NOTHING_KEPT, type AutomodMessage, type Detector, type Inspected } from './detector';
import type { ReasonData, ReasonOf } from './reasons';
import { TextUnits } from './units';
import { shown } from './words';

/** Characters of a link's host a reason shows: a flag's reason has room for 500 in all. */
const MAX_HOST_SHOWN = 100;

const MAX_SHAPE_UNITS = 4096;

/** The texts a rule of this scope reads, with the words a reason uses for each. */
export function scopedTexts(
  message: AutomodMessage,
  scope: AutomodScope,
): Array<{ where: string; text: string }> {
  const texts: Array<{ where: string; text: string }> = [];
  if (scope !== 'name') texts.push({ where: '', text: message.text });
  if (scope !== 'text') texts.push({ where: 'in the name: ', text: message.userName });
  return texts;
}

/** The reasons of the shape rules that read the sender's name too, which say when it was. */
type ShapeReason = ReasonOf<'caps' | 'symbols' | 'links'>;

/**
 * The first reason any of the scope's texts gives: the text's, then the name's. No array of texts
 * per message: every message passes through the shape rules.
 */
function firstReason(
  message: AutomodMessage,
  scope: AutomodScope,
  detector: { reasonIn(text: string): ShapeReason | undefined },
): ShapeReason | undefined {
  if (scope !== 'name') {
    const found = detector.reasonIn(message.text);
    if (found !== undefined) return found;
  }
  if (scope !== 'text') {
    const found = detector.reasonIn(message.userName);
    if (found !== undefined) return { ...found, inName: true };
  }
  return undefined;
}

const UNKNOWN = 0;
const UPPER = 1;
const LOWER = 2;
const UNCASED = 3;
/**
 * The case of each UTF-16 unit from 0x80 on, read from `toLowerCase`/`toUpperCase` on first sight
 * (a string per character was half of the caps detector's time on Korean and emoji lines). A
 * surrogate alone is uncased, as those functions read it.
 */
const CASE_OF_UNIT = new Uint8Array(0x10000);

function caseOfUnit(code: number): number {
  let known = CASE_OF_UNIT[code]!;
  if (known === UNKNOWN) {
    const character = String.fromCharCode(code);
    if (character !== character.toLowerCase()) known = UPPER;
    else if (character !== character.toUpperCase()) known = LOWER;
    else known = UNCASED;
    CASE_OF_UNIT[code] = known;
  }
  return known;
}

const SYMBOL = /[\p{P}\p{S}\p{Extended_Pictographic}]/u;
const SPACE = /\s/u;

/** What a character is to the symbols detector. */
const OTHER = 1;
/** Whitespace, or a part of an emoji that is not a symbol of its own: neither breaks a run. */
const SKIPPED = 2;
const SYMBOL_KIND = 3;

/** Parts of one emoji that are not symbols of their own: joiners, variation selectors, skin tones. */
function isEmojiPart(codePoint: number): boolean {
  return (
    codePoint === 0x200d ||
    codePoint === 0xfe0e ||
    codePoint === 0xfe0f ||
    (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff)
  );
}

function symbolKindOf(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  if (isEmojiPart(codePoint) || SPACE.test(character)) return SKIPPED;
  return SYMBOL.test(character) ? SYMBOL_KIND : OTHER;
}

/**
 * The kind of each code point of the Basic Multilingual Plane, from the regexes on first sight (a
 * regex test per character was most of this detector's time), and of the first
 * {@link MAX_ASTRAL_KINDS} others seen; beyond those, each is tested again.
 */
const SYMBOL_KIND_OF_UNIT = new Uint8Array(0x10000);
const SYMBOL_KIND_OF_ASTRAL = new Map<number, number>();
const MAX_ASTRAL_KINDS = 4096;

function symbolKind(codePoint: number): number {
  if (codePoint < 0x10000) {
    let known = SYMBOL_KIND_OF_UNIT[codePoint]!;
    if (known === UNKNOWN) {
      known = symbolKindOf(codePoint);
      SYMBOL_KIND_OF_UNIT[codePoint] = known;
    }
    return known;
  }
  let known = SYMBOL_KIND_OF_ASTRAL.get(codePoint);
  if (known === undefined) {
    known = symbolKindOf(codePoint);
    if (SYMBOL_KIND_OF_ASTRAL.size < MAX_ASTRAL_KINDS) SYMBOL_KIND_OF_ASTRAL.set(codePoint, known);
  }
  return known;
}

/** What the character rules read of a text, from one pass over its units ({@link readShape}). */
export interface ShapeFacts {
  /** Capital and small letters (UTF-16 units of a cased script). */
  upper: number;
  lower: number;
  /** The longest run of symbols, punctuation or emoji; spaces and emoji parts do not break it. */
  longestSymbolRun: number;
}

/**
 * The facts of the first {@link MAX_SHAPE_UNITS} units of a text, in one pass: the caps and symbols
 * rules both read every message, and reading it once for both was a third of their time.
 */
export function readShape({ units, length }: TextUnits, facts: ShapeFacts): ShapeFacts {
  let upper = 0;
  let lower = 0;
  let run = 0;
  let longest = 0;
  const end = Math.min(length, MAX_SHAPE_UNITS);
  for (let index = 0; index < end;) {
    let codePoint = units[index]!;
    index += 1;
    if (codePoint >= 0x41 && codePoint <= 0x5a) upper += 1;
    else if (codePoint >= 0x61 && codePoint <= 0x7a) lower += 1;
    else if (codePoint >= 0xd800 && codePoint <= 0xdbff && index < length) {
      // A pair (uncased) is one code point; one that the limit cuts is read whole: `length` keeps
      // one unit more than the limit.
      const low = units[index]!;
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        index += 1;
      }
    } else if (codePoint >= 0x80) {
      const kind = caseOfUnit(codePoint);
      if (kind === UPPER) upper += 1;
      else if (kind === LOWER) lower += 1;
    }
    const kind = symbolKind(codePoint);
    if (kind === SKIPPED) continue;
    if (kind === SYMBOL_KIND) {
      run += 1;
      if (run > longest) longest = run;
    } else run = 0;
  }
  facts.upper = upper;
  facts.lower = lower;
  facts.longestSymbolRun = longest;
  return facts;
}

/**
 * The shape facts of the message being checked, read once for every character rule of an automod:
 * they are read again only when the message's units are.
 */
export class MessageShapes {
  private readonly facts: ShapeFacts = { upper: 0, lower: 0, longestSymbolRun: 0 };
  private units: TextUnits | undefined;
  private reads = -1;

  of(units: TextUnits): ShapeFacts {
    if (units !== this.units || units.reads !== this.reads) {
      readShape(units, this.facts);
      this.units = units;
      this.reads = units.reads;
    }
    return this.facts;
  }
}

/**
 * A shape rule that reads characters: the message's facts, which the character rules share, then
 * the name's as the scope says.
 */
abstract class CharacterShape implements Detector {
  private nameUnits: TextUnits | undefined;
  private readonly nameFacts: ShapeFacts = { upper: 0, lower: 0, longestSymbolRun: 0 };

  constructor(
    private readonly scope: AutomodScope,
    private readonly shapes: MessageShapes,
  ) {}

  check(inspected: Inspected): ReasonData | undefined {
    if (this.scope !== 'name') {
      const found = this.reasonIn(this.shapes.of(inspected.textUnits()));
      if (found !== undefined) return found;
    }
    if (this.scope !== 'text') {
      this.nameUnits ??= new TextUnits();
      const facts = readShape(this.nameUnits.read(inspected.message.userName), this.nameFacts);
      const found = this.reasonIn(facts);
      if (found !== undefined) return { ...found, inName: true };
    }
    return undefined;
  }

  /** The reason one text (the message's or the name) is flagged, or nothing. */
  protected abstract reasonIn(facts: ShapeFacts): ShapeReason | undefined;

  size = () => NOTHING_KEPT;
}

export class CapsDetector extends CharacterShape {
  constructor(
    private readonly params: RuleOfKind<'caps'>['params'],
    shapes = new MessageShapes(),
  ) {
    super(params.scope, shapes);
  }

  protected reasonIn({ upper, lower }: ShapeFacts): ShapeReason | undefined {
    const share = upper / Math.max(1, upper + lower);
    if (upper < this.params.minCapitals || share < this.params.minShare) return undefined;
    return { kind: 'caps', capitals: upper, percent: Math.round(share * 100), inName: false };
  }
}

export class SymbolsDetector extends CharacterShape {
  constructor(
    private readonly params: RuleOfKind<'symbols'>['params'],
    shapes = new MessageShapes(),
  ) {
    super(params.scope, shapes);
  }

  protected reasonIn({ longestSymbolRun }: ShapeFacts): ShapeReason | undefined {
    if (longestSymbolRun < this.params.minRun) return undefined;
    return { kind: 'symbols', run: longestSymbolRun, inName: false };
  }
}

/**
 * Top-level domains a bare `name.tld` is read as a link with. A scheme (`http://`) or `www.` makes
 * any token a link; a bare token needs one of these, so that `node.js` or `file.txt` is not one.
 */
const LINK_TLDS = new Set(
  (
    'com net org io gg tv me co ly xyz ru de uk kr jp cn info biz app dev link site online shop ' +
    'top club live store fun space website click stream gift icu vip pro us ca fr es it nl pl br ' +
    'in au su to cc ws bit eu tk ml ga cf gq be ch se no fi dk at cz tw hk sg my id ph vn th ' +
    'ua kz ir tr mx ar cl'
  ).split(' '),
);
/** A scheme anywhere in a token: a link glued to what comes before it (`[x](https://…)`) too. */
const SCHEME = /[a-z][a-z0-9+.-]*:\/\//u;
/** `www.` at a token's start or after a sign, not inside a word (`awww.so`). */
const WWW = /(?:^|[^\p{L}\p{N}])(www\.)/u;
/** The host after a scheme, past any user info (`youtube.com@evil.example` goes to evil.example). */
const HOST_AFTER_SCHEME = /^(?:[^/?#@\s]*@)?([^/?#:\s]+)/u;
const BARE_HOST = /^([^/?#:\s]+)/u;
const DOMAIN_LABELS = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/** The host of a token that reads as a link, lower-cased, or `undefined`. */
export function linkHost(token: string): string | undefined {
  const lower = token.toLowerCase();
  const scheme = SCHEME.exec(lower);
  if (scheme) {
    const host = hostOf(HOST_AFTER_SCHEME, lower.slice(scheme.index + scheme[0].length));
    return host !== undefined && DOMAIN_LABELS.test(host) ? host : undefined;
  }
  const www = WWW.exec(lower);
  const bare = www ? lower.slice(www.index + www[0].length - 4) : lower.replace(/^[("'<[{]+/u, '');
  const host = hostOf(BARE_HOST, bare);
  if (host === undefined || !DOMAIN_LABELS.test(host)) return undefined;
  if (host.startsWith('www.')) return host;
  const tld = host.slice(host.lastIndexOf('.') + 1);
  return LINK_TLDS.has(tld) ? host : undefined;
}

/** What `pattern` takes as the host at the start of `text`, without the signs after it. */
function hostOf(pattern: RegExp, text: string): string | undefined {
  return pattern.exec(text)?.[1]?.replace(/[)"'>\]},.!?;:]+$/u, '');
}

export class LinksDetector implements Detector {
  private readonly allowed: string[];

  constructor(private readonly params: RuleOfKind<'links'>['params']) {
    this.allowed = params.allowedDomains;
  }

  check({ message }: Inspected): ReasonData | undefined {
    return firstReason(message, this.params.scope, this);
  }

  /** The reason one text (the message's or the name) is flagged, or nothing. */
  reasonIn(text: string): ShapeReason | undefined {
    // Every link has a dot (linkHost): most messages have none.
    if (!text.includes('.')) return undefined;
    for (const token of text.slice(0, MAX_SHAPE_UNITS).split(/\s+/u)) {
      if (!token.includes('.')) continue;
      const host = linkHost(token);
      if (host === undefined) continue;
      const allowed = this.allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
      // A host can be as long as the message; the reason shows its start, as a raid's name.
      if (!allowed) return { kind: 'links', host: shown(host, MAX_HOST_SHOWN), inName: false };
    }
    return undefined;
  }

  size = () => NOTHING_KEPT;
}

const MENTION = /(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu;

export class MentionsDetector implements Detector {
  constructor(private readonly params: RuleOfKind<'mentions'>['params']) {}

  check({ message }: Inspected): ReasonData | undefined {
    if (!message.text.includes('@')) return undefined;
    const names = new Set<string>();
    for (const found of message.text.slice(0, MAX_SHAPE_UNITS).matchAll(MENTION)) {
      names.add(found[1]!.toLowerCase());
    }
    if (names.size < this.params.minMentions) return undefined;
    return { kind: 'mentions', people: names.size };
  }

  size = () => NOTHING_KEPT;
}

export class LengthDetector implements Detector {
  constructor(private readonly params: RuleOfKind<'length'>['params']) {}

  check({ message }: Inspected): ReasonData | undefined {
    // Characters as people count them (code points), without walking a text far beyond the limit.
    const limit = this.params.maxCharacters;
    if (message.text.length <= limit) return undefined;
    let characters = 0;
    for (let index = 0; index < message.text.length; index += 1) {
      const code = message.text.charCodeAt(index);
      if (code < 0xdc00 || code > 0xdfff) characters += 1;
    }
    if (characters <= limit) return undefined;
    return { kind: 'length', characters, limit };
  }

  size = () => NOTHING_KEPT;
}
