/**
 * What an override aims at. "Ignore the typos" and "ignore your instructions" share their verb; what tells
 * them apart is the object, and a hashed n-gram only knows the objects it was trained on. This reads the
 * first content word after an override verb ("ignore", "forget", "disregard", "vergiss", "oublie", …) or after
 * a word that points back ("previous", "earlier", "original", …), and pools the pre-trained word vectors of
 * those objects: an object the training data never used ("the outliers", "the budget") still lands near the
 * objects it resembles, and far from "instructions", "rules", "prompt".
 *
 * Words are matched by the same hash the n-gram features use; nothing is copied out of the text.
 */
import { fmix32, hashRange, WORD_SEED } from './hash.js';

/**
 * A set of word hashes: an open-addressing table of int32 keys, tested for every word of every window. A `Set`
 * of numbers hashed each int32 hash (most are not small integers) on every lookup.
 */
export class HashSet32 {
  readonly #keys: Int32Array;
  readonly #used: Uint8Array;
  readonly #mask: number;

  constructor(values: Iterable<number>) {
    const list = [...values];
    let size = 16;
    while (size < list.length * 4) size <<= 1;
    this.#keys = new Int32Array(size);
    this.#used = new Uint8Array(size);
    this.#mask = size - 1;
    for (const v of list) {
      let e = fmix32(v) & this.#mask;
      while (this.#used[e] === 1 && this.#keys[e] !== (v | 0)) e = (e + 1) & this.#mask;
      this.#keys[e] = v;
      this.#used[e] = 1;
    }
  }

  has(v: number): boolean {
    let e = fmix32(v) & this.#mask;
    while (this.#used[e] === 1) {
      if (this.#keys[e] === v) return true;
      e = (e + 1) & this.#mask;
    }
    return false;
  }
}

const hashes = (words: string) => new HashSet32(words.split(/\s+/).map((w) => hashRange(w, 0, w.length, WORD_SEED)));

/** Verbs that set something aside, in the languages the multilingual signals read. */
const VERBS = hashes(`ignore ignores ignoring ignored disregard disregarding forget forgetting override overriding
  bypass skip drop scratch overlook abandon discard aside neglect vergiss vergessen ignoriere ignorieren ignoriert
  missachte verwirf oublie oubliez oublier ignorez ignorer olvida olvide olvidar ignora ignorar ignorate descarta
  dimentica dimenticare`);

/**
 * Verbs of harm, whose object decides whether they are: "kill a Python process", "shoot a photo", "poison the
 * weeds" against "kill my neighbour", "poison a dog" (the `harm` verb set, for the `harmful` task).
 */
const HARM_VERBS = hashes(`kill killing kills murder murdering shoot shooting stab stabbing poison poisoning strangle
  choke drown hang burn burning bomb blow destroy destroying attack attacking beat beating hurt hurting harm harming
  injure torture kidnap abduct rob robbing steal stealing hack hacking smash crush eliminate execute executing
  slaughter butcher gut terminate wipe exterminate eradicate annihilate assassinate punch slap starve scam defraud
  blackmail stalk spy dox harass bully manipulate drug spike forge launder smuggle counterfeit exploit sabotage
  infect trick cheat`);

/** Words that point back at something earlier; their object is read too ("your previous answer"). */
const BACK = hashes(`previous prior earlier last original preceding vorherige vorherigen bisherige bisherigen
  précédente précédentes précédents anterior anteriores precedente precedenti`);

/** Function words and back-pointing words skipped on the way to the object. */
const SKIP = hashes(`the your my all any every each of previous prior earlier above last original initial old these
  those this that what i you we me to said told about just a an our their his her some other preceding current
  entire whole given before everything so far alle allen deine deinen die den das der dem vorherigen bisherigen
  obigen meine meinen toutes tous les le la tes vos mes précédentes précédents todas todos las los tus sus mis
  anteriores tutte tutti gli tue precedenti miei mie del della de des du el lo il un une una ein eine einen`);

/** How many words after a verb (or a back-pointing word) the object may be looked for. */
const VERB_REACH = 4;
const BACK_REACH = 2;

export type ObjectVerbs = 'override' | 'harm';

/** Follows a text word by word; `next` returns true when the word is an object to pool. */
export class OverrideObjects {
  #pending = 0;
  readonly #verbs: HashSet32;
  readonly #back: boolean;

  /** `override`: override verbs and back-pointing words; `harm`: verbs of harm. */
  constructor(verbs: ObjectVerbs = 'override') {
    this.#verbs = verbs === 'harm' ? HARM_VERBS : VERBS;
    this.#back = verbs === 'override';
  }

  reset(): void {
    this.#pending = 0;
  }

  /** `hash`: the word's {@link WORD_SEED} hash. */
  next(hash: number): boolean {
    if (this.#pending > 0) {
      if (SKIP.has(hash)) {
        this.#pending--;
        return false;
      }
      this.#pending = 0;
      return true;
    }
    if (this.#verbs.has(hash)) this.#pending = VERB_REACH;
    else if (this.#back && BACK.has(hash)) this.#pending = BACK_REACH;
    return false;
  }
}
