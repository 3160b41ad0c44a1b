/**
 * A compact top-level-domain list: every two-letter country code in use plus the generic TLDs that real
 * addresses use. Not the full IANA list on purpose: brand and dictionary-word TLDs (`.run`, `.page`, `.data`)
 * would turn `model.data` or `self.run` into domains.
 */

const CC_TLDS =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ' +
  'ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm ' +
  'fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it ' +
  'je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn ' +
  'mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps ' +
  'pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj ' +
  'tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';

const GENERIC_TLDS =
  'com org net edu gov mil int info biz name pro mobi aero coop museum jobs travel asia ' +
  'app dev blog shop store online site tech cloud xyz top club news media agency digital email group company ' +
  'solutions services network systems software design studio global world today website academy consulting ' +
  'education energy finance health institute international law legal marketing photography press school ' +
  'social support team tools university video wiki works bank insurance capital partners ventures foundation ' +
  'gmbh ltd llc inc ngo berlin london nyc paris tokyo amsterdam africa ' +
  'museum church clinic dental doctor fitness restaurant realty properties travel tours ' +
  'cat eus gal frl scot wales cymru bzh quebec bayern nrw koeln hamburg wien tirol swiss brussels vlaanderen barcelona ' +
  'madrid moscow istanbul melbourne sydney tokyo';

/** Country codes that are also common words or file extensions: not enough, alone, to call a bare token a domain. */
const AMBIGUOUS_BARE =
  'am as at be by do id im in is it me my no so to us py sh md pl rs pt ps tf ml cc ms mk mm sc sb tk st ws la ' +
  'ch cv ai gs hs ls lt mo my na ne nu re se si sl tv ve';

export const TLDS: ReadonlySet<string> = new Set(`${CC_TLDS} ${GENERIC_TLDS}`.split(/\s+/));
const AMBIGUOUS: ReadonlySet<string> = new Set(AMBIGUOUS_BARE.split(/\s+/));
const SECOND_LEVEL: ReadonlySet<string> = new Set(['co', 'com', 'org', 'net', 'gov', 'edu', 'ac', 'ltd', 'plc']);

export function isKnownTld(tld: string): boolean {
  return TLDS.has(tld.toLowerCase());
}

/** A validated host name: its label count and its last two labels. */
export interface HostInfo {
  labels: number;
  tld: string;
  /** The label before the TLD. */
  sld: string;
}

/** Is a host name credible as a domain without a scheme, `www.` or `@` around it? */
export function isCredibleBareDomain(host: HostInfo): boolean {
  const tld = host.tld;
  if (tld !== tld.toLowerCase() || !TLDS.has(tld)) return false;
  if (!AMBIGUOUS.has(tld)) return true;
  // `example.co.uk`, `shop.com.br`: a second-level domain makes an ambiguous country code credible
  return host.labels >= 3 && SECOND_LEVEL.has(host.sld.toLowerCase());
}

function isLabelCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
}

/**
 * Validates the host name text[from, to) in place: labels of 1-63 letters, digits and inner hyphens, at
 * least two labels, an alphabetic TLD in the list. Returns its labels' summary or null.
 */
export function parseHostname(text: string, from = 0, to = text.length): HostInfo | null {
  if (to - from < 3 || to - from > 253) return null;
  let labels = 0;
  let labelStart = from;
  let prevDot = -1;
  let lastDot = -1;
  for (let i = from; i <= to; i++) {
    if (i < to) {
      const c = text.charCodeAt(i);
      if (c !== 46) {
        if (!isLabelCode(c)) return null;
        continue;
      }
    }
    const len = i - labelStart;
    if (len === 0 || len > 63) return null;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return null;
    labels++;
    if (i < to) {
      prevDot = lastDot;
      lastDot = i;
    }
    labelStart = i + 1;
  }
  if (labels < 2) return null;
  const tld = text.slice(lastDot + 1, to);
  if (!isKnownTld(tld)) return null;
  return { labels, tld, sld: text.slice(prevDot + 1, lastDot) };
}
