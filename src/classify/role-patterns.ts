/**
 * The patterns the role scan (role-scan.ts) reads a complaint's text with.
 * Each is anchored or bounded so a scan stays linear in its input.
 */

// Addresses no customer of a host or registrar can hold on the Internet.
// Documentation ranges (192.0.2.0/24 and the like, "reserved" to ipaddr.js)
// are left out: examples and tests name them as the reported address.
export const UNROUTABLE = new Set(['loopback', 'linkLocal', 'unspecified', 'multicast', 'broadcast']);
// Private ranges: context beside a public address (a log's internal hop), the subject when alone.
export const PRIVATE = new Set(['private', 'uniqueLocal']);

// Share and intent links of social networks: a button, never the thing reported.
export const SHARE_LINK = /^https?:\/\/(?:[\w-]+\.)*(?:facebook\.com\/(?:sharer|share|dialog\/share)|(?:twitter|x)\.com\/(?:intent|share)|linkedin\.com\/(?:shareArticle|sharing|cws\/share)|pinterest\.[a-z.]+\/pin\/create|reddit\.com\/submit|api\.whatsapp\.com\/send|wa\.me\/\?|t\.me\/share|telegram\.me\/share|mastodonshare\.com|bsky\.app\/intent)/i;
// Unsubscribe and preference pages, in the reporter's own mail (a forwarded spam's own link stays reported).
export const UNSUBSCRIBE_LINK = /(?:unsubscribe|optout|opt-out|opt_out|desinscri|désinscri|desabonn|désabonn|list-manage\.com|manage[-_]?preferences|email[-_]?preferences)/i;

export const LABEL_LINE = /^[\s\-*•>|#]*([^:=\n]{1,64}?)\s*[:=]\s*(?:[^<>:=\n]{0,60}<|[[("'"])?\s*$/;
// A label on its own line over a list, one name per line ("IPs Engaged In Harvesting On Your Network:").
export const LIST_ITEM = /^[\s\-*•]*[^\s,;]{1,100}[\s,;]*$/;
// The line introducing the complainant's own site: "contact us … on our website:", "sur notre site :" ("This site copies our website:" introduces the copy).
export const OWN_SITE_INTRO = /(?:\b(?:on|at|visit|via|through|see|from)\s+(?:our|my) (?:web ?)?site|(?:^|\s)(?:sur|via|consultez|visitez) (?:notre|mon) site(?: web| internet)?)\s*:$/i;
// The recipient of a forwarded message: the reporter, never the accused.
export const RECIPIENT_LABEL = /^(?:to|cc|bcc|à|a|pour|destinataire|delivered-to|envelope-to|x-original-to)$/i;
// Contact details under a client or rights holder: the complainant's side, not the accused.
export const CONTACT_LABEL = /^(?:web ?site|site(?: web)?|web|url|e-?mail|courriel|tel|tél|phone|telephone|téléphone|fax|address|adresse)$/i;
export const CLIENT_LINE = /^[\s\-*•>|#]*(?:client|company|rights? ?holder|copyright (?:owner|holder)|claimant|complainant|owner|on behalf of|soci[ée]t[ée]|titulaire(?: des droits)?|mandant)\s*[:=]/im;
// An XML or HTML field: <IP_Address>192.0.2.1, <td>Source IP</td><td>…
export const XML_LABEL = /<([A-Za-z][\w:.-]{0,40})>\s*$/;
// An attribute: <url_info ip="192.0.2.1">, ip=192.0.2.1.
export const ATTRIBUTE_LABEL = /(?:^|[\s,;&?])([A-Za-z][\w.-]{0,40})=["']?$/;
// Field names that name the accused thing without saying source: "IP address", "URL", "Host", "Domain".
export const GENERIC_LABEL = /(?:^|[^\p{L}])(?:ip|ips|ip[_ ]?address|address|host|hostname|url|uri|domain|site|website|link)(?:[^\p{L}]|$)/iu;

// Between the cue and the name: at most four words, none saying where the abuse is ("at", "on", "hosted"…), no colon or comma.
// Separators and word characters are disjoint, so the match is linear.
export const GAP_WORD = `(?!(?:at|on|in|hosted|located|here|via|is|are|was|under|from|using|with|sur|à|chez|h[ée]berg\\p{L}*|est|dans|depuis|par|auf|bei|unter|ist)(?:[^\\p{L}]|$))[\\p{L}\\p{N}'’&.-]+`;
// No comma: "imitating Nike, http://fake.test" names the fake after the brand.
export const GAP = new RegExp(`^[\\s("«“]*(?:${GAP_WORD}(?:[\\s("«“]+${GAP_WORD}){0,3})?[\\s("«“]*$`, 'iu');


// What belongs to a name before it: its scheme, and the labels of a longer host it ends ("www." before "bank.test").
export const NAME_LEAD = /(?:[a-z][a-z0-9+.-]{0,9}:\/\/|mailto:)?(?:[a-z0-9-]{1,63}\.){0,4}$/i;
// An XML namespace or schema location: <Infringement xmlns="http://www.acns.net/ACNS" xsi:schemaLocation="… …">.
export const XML_NAMESPACE = /(?:xmlns(?::[\w-]+)?|schemaLocation)\s*=\s*["'][^"'<>]{0,200}$/i;
// An image the message shows: <img … src="…">, background-image: url(…).
export const IMAGE_SOURCE = /<img\b[^<>]{0,200}\bsrc\s*=\s*["']?$|\burl\(\s*["']?$/i;
// An HTML attribute seen as a label ("<a href=", "<center><img src="): not a field name.
export const HTML_ATTRIBUTE = /(?:^|[\s<"'])(?:src|href|srcset|background|action|poster|data-src|cite)$/i;
// A hop of a traceroute: "6  ae-2.a00.example.net (192.0.2.1)", "3  192.0.2.1  1.2 ms".
export const TRACEROUTE_HOP = /^\s*\d{1,2}\s+(?:[\w.:-]+\s+\(\s*)?$/;
export const TRACEROUTE_DETAIL = /\(\s*[\d.:a-f]+\s*\)|\d\s*ms\b/i;
// The right side of a logged connection: "198.51.100.7 => 192.0.2.1:22", "src -> dst", "a.53 > b.1234".
export const ARROW_BEFORE = /\S[ \t]*(?:=>|->|→)[ \t]*$|\S[ \t]+>[ \t]+$/;
// Header fields naming software, whose version numbers read as addresses ("Mailbird 2.9.67.0").
export const VERSION_HEADER = /^(?:user-agent|x-user-agent|x-mailer|x-mimeole|x-newsreader|x-powered-by|x-aspnet-version|server)$/i;
// A message identifier, written as a header or as a mail client shows it ("Message ID <…@host>").
export const MESSAGE_ID = /message[- ]?id\s*:?\s*<?$/i;
// Social networks, for footer links whose text names the network ("[Facebook]<https://…>", "LinkedIn <https://…>").
export const SOCIAL_HOST = /(?:^|\.)(?:facebook\.com|twitter\.com|x\.com|linkedin\.com|instagram\.com|youtube\.com|tiktok\.com|pinterest\.[a-z.]+|github\.com|xing\.com|threads\.net|bsky\.app)$/i;
// The network's name must open its line or follow another link: "He harasses me on Twitter <https://…>" is prose.
export const SOCIAL_TEXT = /(?:^|[>\])|][ \t]*)[ \t]*\[?(?:facebook|twitter|linkedin|instagram|youtube|tiktok|pinterest|github|xing|threads|bluesky|x)\s*\]?\s*[<(\[]?\s*$/iu;
// A dump of a packet ("0x0020:  726f 7574 …") and a packet's one-line summary ("IP 192.0.2.1.53 > 198.51.100.2.1234: …").
export const HEX_DUMP = /^\s*0x[0-9a-f]{4}:\s/i;
export const PACKET_HEAD = /\s>\s\S+:\s/;
// A row of links under their texts, separated by bars: a site's footer ("Log in<https://…> | Support<https://…>").
export const FOOTER_LINKS = /\w\s?<https?:\/\/[^<>\s]{1,300}>\s*\|[^|]{0,300}\w\s?<https?:\/\//;
// A heading between rules: "--- Title ---", "=== Title ===".
export const HEADING = /^[-=*#]{2,}\s*\S.{0,200}\S\s*[-=*#]{2,}$/;
// A "Field: value" line in a block of fields.
export const FIELD_LINE = /^(?![a-z][a-z0-9+.-]{0,9}:\/\/)\w[\w .'’/()-]{0,40}:\s*\S/i;
// A DNS blocklist's zone, as a rejection names it ("554 5.7.1 ix.dnsbl.example.net RBLTRAP").
export const DNS_BLOCKLIST = /(?:^|\.)(?:dnsbl|rbl|rhsbl|uribl|surbl)\./i;
// Host names of reading matter: documentation, a knowledge base (not blogs or forums, where users publish).
export const DOCUMENT_HOST = /^(?:docs|kb|learn|developers?)\./i;
// Paths of pages that run or serve the abuse itself, never documentation (a compromised blog's /blog/wp-content/…).
export const ACTIVE_PATH = /\.(?:php\d?|aspx?|jsp|cgi|exe|scr|zip|rar|7z|apk|js|bat|msi|dll|jar|vbs)(?:[?#/]|$)|wp-(?:content|admin|includes)|\/(?:login|log-in|signin|sign-in|verify|verification|account|secure|update|webscr|wallet|invoice)(?:[/?#.]|$)/i;

export const MAX_OCCURRENCES = 20;

// Header fields that trace a message's path or its checks: the relays and signers named there are not what is reported
// (the server that sent a spam is found from Received separately, and stated as reported).
export const TRACE_HEADER = /^(?:received|x-received|received-spf|authentication-results|arc-[\w-]+|dkim-signature|x-ms-[\w-]+|x-microsoft-[\w-]+|x-forefront-[\w-]+|x-google-[\w-]+|x-gm-[\w-]+|x-ovh-[\w-]+|x-spam-[\w-]+|message-id|in-reply-to|references|x-uidl|x-account-key|x-mozilla-[\w-]+|x-originalarrivaltime|x-ms-exchange-[\w-]+|x-greylist|x-virus-scanned|x-csa-complaints|x-report-abuse|x-abuse-info|list-help|list-owner|x-barracuda-[\w-]+|x-proofpoint-[\w-]+|x-mimecast-[\w-]+|x-ironport-[\w-]+|x-sophos-[\w-]+|x-cmae-[\w-]+)$/i;
// A line starting "name:" (not a URL's "https://").
export const HEADER_START = /^([A-Za-z][\w-]{0,60}):(?!\/\/)/;
// Where a trace field names the message's sender (its local part may come before the name).
export const TRACE_SENDER = /(?:envelope-from\s*<?|smtp\.mailfrom=|header\.from=|domain of\s+)[\w.+=-]{0,64}@?$/i;
// A fold, with the blank lines some copies put inside one.
export const UNFOLD = /\r?\n(?:[ \t]*\r?\n)*[ \t]+/g;
// A signature: the sign-off line and what follows, at most this long.
export const SIGNATURE_MAX_LINES = 12;
// A row of evidence (an address first, or tab-separated columns), as reports list them after a sign-off.
export const EVIDENCE_ROW = /^[\s>]*(?:\d{1,3}\.){3}\d{1,3}\b|\t/;
export const SIGNATURE_MAX_CHARS = 1200;
