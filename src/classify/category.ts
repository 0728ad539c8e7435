import type { ReportFields } from './report-fields.ts';

export const CATEGORIES = [
  'spam', 'phishing', 'malware', 'fraud', 'copyright', 'trademark', 'defamation',
  'harassment', 'hate', 'violence', 'csam', 'privacy', 'attack', 'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

// Word lists in English and French. A hit in the subject weighs double.
// Order matters only for ties: earlier categories win.
const WORDS: Array<[Category, RegExp]> = [
  ['csam', /\b(csam|child (sexual )?(abuse|exploitation|porn\w*)|p[ée]dopornograph\w*|p[ée]dophil\w*|abus sexuels? sur (des )?(enfants?|mineurs?)|exploitation sexuelle (des|de) mineurs?)\b/gi],
  ['violence', /\b(kill (you|him|her|them|me)|death threats?|threat(en(s|ed|ing)?)? to (kill|shoot|hurt)|bomb threat|shoot(ing)? up|menaces? de mort|je vais te tuer|menace(s|r)? (de|d')?\s?(tuer|violence)|terroris\w*|attentat|incitement to violence|appel au meurtre|suicide)\b/gi],
  ['privacy', /\b(dox+(ed|ing)?|doxx\w*|home address|personal (data|information|details) (published|posted|leaked)|(published|posted|leaked) my (address|phone|personal)|adresse personnelle|donn[ée]es personnelles|vie priv[ée]e|rgpd|gdpr|revenge porn|intimate images?|photos? intimes?)\b/gi],
  ['hate', /\b(hate speech|racis[tm]\w*|antis[ée]mit\w*|homophob\w*|transphob\w*|xenophob\w*|haine|incitation [àa] la haine|discours haineux|nazi\w*)\b/gi],
  ['harassment', /\b(harass\w*|harc[eè]le\w*|stalk\w*|bully\w*|cyberbully\w*|insult\w*|intimidat\w*|threat\w*|menace\w*|abusive messages?)\b/gi],
  ['phishing', /\b(phish\w*|hame[çc]onnage|credential harvest\w*|fake login|fake (bank|paypal|apple|microsoft)|usurpation d'identit[ée]|faux site|site frauduleux imitant|spoof(ed|ing)? (site|page|login))\b/gi],
  ['malware', /\b(malware|virus|trojan|ransomware|botnet|c&c|command and control|drive-by|exploit kit|maliciel|logiciel malveillant|cheval de troie|infect(ed|ion)|compromised (site|website|server))\b/gi],
  ['attack', /\b(ddos|dos attack|denial of service|attacks?|attacking|flood(ing)?|brute[- ]?force\w*|port ?scan\w*|scanning|login attempts?|attaques?|intrusion|hack(ed|ing)? attempts?|sql injection|attaque par d[ée]ni de service|force brute|balayage de ports)\b/gi],
  ['copyright', /\b(copyright\w*|dmca|copyright infringement|pirat\w*|droits? d'auteur|contrefa[çc]on (d'une )?(oeuvre|œuvre)|t[ée]l[ée]chargement ill[ée]gal|bittorrent|torrent|unauthori[sz]ed (copy|distribution))\b/gi],
  ['trademark', /\b(trademark\w*|trade mark|marque d[ée]pos[ée]e|counterfeit\w*|contrefa[çc]on|brand (abuse|infringement)|typosquat\w*|cybersquat\w*)\b/gi],
  ['defamation', /\b(defam\w*|diffam\w*|libel\w*|slander\w*|d[ée]nigrement|calomni\w*|false (statements?|allegations?) about)\b/gi],
  ['fraud', /\b(fraud\w*|scam\w*|escroquerie|arnaque\w*|fake shop|faux magasin|advance fee|419|fake (store|invoice)|money mule|ponzi|usurpation)\b/gi],
  ['spam', /\b(spam\w*|unsolicited (e-?mail|mail|message|bulk)|uce|ube|junk mail|courriels? (non sollicit[ée]s?|ind[ée]sirables?)|pourriel\w*|mails? ind[ée]sirables?|newsletter non sollicit[ée]e)\b/gi],
];

export interface CategoryDecision {
  category: Category;
  why: string[];
}

const ARF_FEEDBACK: Record<string, Category> = {
  abuse: 'spam', fraud: 'fraud', virus: 'malware', 'auth-failure': 'phishing', other: 'spam', 'opt-out': 'spam',
};

// X-ARF Category and Report-Type values (v0.1 / v0.2 / XARF v4 class names).
const XARF_TYPES: Record<string, Category> = {
  phishing: 'phishing', malware: 'malware', 'malware-attack': 'malware', botnet: 'malware', infection: 'malware',
  'login-attack': 'attack', 'ddos': 'attack', 'portscan': 'attack', 'port-scan': 'attack', 'ssh': 'attack', 'regbot': 'attack',
  'bruteforce': 'attack', 'vulnerability': 'attack', attack: 'attack', spam: 'spam', 'spam-link': 'spam', harvesting: 'spam',
  scam: 'fraud', fraud: 'fraud', copyright: 'copyright', trademark: 'trademark', 'child-abuse': 'csam', csam: 'csam',
  'content': 'other', info: 'other', abuse: 'attack',
};

/** Category from structured report fields first, then English/French wording. Pure. */
export function classifyCategory(fields: ReportFields, subject: string, text: string): CategoryDecision {
  if (fields.format === 'arf' && fields.feedbackType) {
    const cat = ARF_FEEDBACK[fields.feedbackType] ?? 'spam';
    return { category: cat, why: [`ARF Feedback-Type: ${fields.feedbackType} → ${cat}`] };
  }
  if (fields.format === 'xarf') {
    // Report-Type "info" or "content" says nothing about the abuse: try Category, then the wording.
    for (const key of [fields.reportType, fields.category]) {
      const cat = key ? XARF_TYPES[key] : undefined;
      if (cat && cat !== 'other') return { category: cat, why: [`X-ARF ${key === fields.reportType ? 'Report-Type' : 'Category'}: ${key} → ${cat}`] };
    }
  }
  const body = text.slice(0, 20000);
  let best: { cat: Category; score: number; words: string[] } | null = null;
  for (const [cat, re] of WORDS) {
    const words: string[] = [];
    let score = 0;
    for (const m of subject.matchAll(re)) (score += 2), words.push(m[0].toLowerCase());
    for (const m of body.matchAll(re)) (score += 1), words.push(m[0].toLowerCase());
    if (score > 0 && (!best || score > best.score || ((cat === 'csam' || cat === 'violence') && best.cat !== 'csam'))) {
      best = { cat, score, words };
      // csam and threats to life decide on any mention: a human must look.
      if (cat === 'csam') break;
    }
  }
  if (!best) return { category: 'other', why: ['no category wording found'] };
  const uniq = [...new Set(best.words)].slice(0, 5);
  return { category: best.cat, why: [`wording: ${uniq.map((w) => `"${w}"`).join(', ')} → ${best.cat}`] };
}

const DOXXING = /\b(dox+(ed|ing)?|doxx\w*|home address|published my (address|phone)|adresse personnelle|publi[ée] mon adresse)\b/i;
const THREAT_TO_LIFE = /\b(kill (you|him|her|them|me)|death threats?|menaces? de mort|je vais te tuer|bomb threat|suicide)\b/i;

/** Priority: csam, threats to life and doxxing are urgent; phishing and malware high. Pure. */
export function decidePriority(category: Category, text: string, automated: boolean): { priority: Priority; why: string } {
  if (category === 'csam') return { priority: 'urgent', why: 'csam is always urgent' };
  if (category === 'violence' || THREAT_TO_LIFE.test(text)) return { priority: 'urgent', why: 'threat to life or of violence' };
  if (DOXXING.test(text)) return { priority: 'urgent', why: 'doxxing (personal details published)' };
  if (category === 'phishing' || category === 'malware') return { priority: 'high', why: `${category} harms third parties now` };
  if (category === 'harassment' || category === 'hate' || category === 'privacy') return { priority: 'high', why: `${category} targets people` };
  if (automated && (category === 'spam' || category === 'attack')) return { priority: 'low', why: `automated ${category} report` };
  return { priority: 'normal', why: 'default' };
}
