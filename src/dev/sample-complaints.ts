/**
 * Synthetic messages of every kind abuse@ receives, for the demo, the
 * integration tests and the bench. All names and addresses are reserved
 * examples (RFC 2606 / 5737 / 3849) matching config/customers.example.yaml.
 */

export type SampleKind = 'plain-en' | 'plain-fr' | 'html-only' | 'latin1' | 'forwarded' | 'arf' | 'auto-reply' | 'bounce' | 'newsletter';

export interface Sample {
  kind: SampleKind;
  raw: Buffer;
  /** Who should get an acknowledgement (null: nobody). */
  ackTo: string | null;
  ackLanguage: 'en' | 'fr' | null;
  /** Customer contacts that should get a notice. */
  noticeTo: string[];
  messageId: string;
  reporterName: string | null;
}

// Written a minute or so before now, whatever today is: nothing that reads the Date field sees an old complaint.
const date = (i: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000 + (i % 60) * 1000).toUTCString().replace('GMT', '+0000');

function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

/** Builds sample number `i` of the given kind; `tag` keeps Message-IDs unique across runs. */
export function buildSample(kind: SampleKind, i: number, tag = 'demo'): Sample {
  const id = `<${kind}.${i}.${tag}@reporter.test>`;
  const n = `${i}`;
  switch (kind) {
    case 'plain-en':
      return {
        kind, messageId: id, ackTo: `alice${n}@reporter.test`, ackLanguage: 'en', noticeTo: ['admin@example.test'], reporterName: 'Alice Reporter',
        raw: Buffer.from(crlf(`From: Alice Reporter <alice${n}@reporter.test>
To: abuse@example.net
Subject: Phishing page on your network #${n}
Date: ${date(i)}
Message-ID: ${id}
Content-Type: text/plain; charset=utf-8

Hello,

The following page imitates my bank's login and is hosted on your network:
http://www.example.test/secure/login.php?case=${n}

Please take it down. You can call me on +33 6 12 34 56 78.
I declare in good faith that the information in this notice is accurate and complete.

Thanks,
Alice Reporter
`)),
      };
    case 'plain-fr':
      return {
        kind, messageId: id, ackTo: `bruno${n}@reporter.test`, ackLanguage: 'fr', noticeTo: ['ops@shop-hosting.test'], reporterName: 'Bruno Plaignant',
        raw: Buffer.from(crlf(`From: Bruno Plaignant <bruno${n}@reporter.test>
To: abuse@example.net
Subject: Signalement d'une arnaque ${n}
Date: ${date(i)}
Message-ID: ${id}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,

Je vous signale un faux magasin hébergé chez vous à l'adresse
https://boutique.shop.test/promo/${n} qui encaisse les paiements sans jamais
livrer. Merci de faire le nécessaire pour que cette escroquerie cesse.

Cordialement,
Bruno Plaignant
`)),
      };
    case 'html-only':
      return {
        kind, messageId: id, ackTo: `carol${n}@reporter.test`, ackLanguage: 'en', noticeTo: ['admin@example.test'], reporterName: 'Carol',
        raw: Buffer.from(crlf(`From: Carol <carol${n}@reporter.test>
To: abuse@example.net
Subject: Malware download ${n}
Date: ${date(i)}
Message-ID: ${id}
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p>Hello, the server <b>192.0.2.10</b> is serving malware (a trojan) at
<a href="http://192.0.2.10/files/update-${n}.exe">this link</a>. Please clean it up.</p>
<p>Regards, Carol</p></body></html>
`)),
      };
    case 'latin1':
      return {
        kind, messageId: id, ackTo: `dominique${n}@reporter.test`, ackLanguage: 'fr', noticeTo: ['legal@registrant.test'], reporterName: 'Dominique Lefèvre',
        raw: Buffer.concat([
          Buffer.from(crlf(`From: =?ISO-8859-1?Q?Dominique_Lef=E8vre?= <dominique${n}@reporter.test>
To: abuse@example.net
Subject: =?ISO-8859-1?Q?Hame=E7onnage_signal=E9?= ${n}
Date: ${date(i)}
Message-ID: ${id}
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

`)),
          Buffer.from(crlf(`Bonjour,

Le site https://login.registrant.test/banque/${n} est un site d'hameçonnage qui
imite ma banque. Il est enregistré chez vous. Merci de votre aide.

Dominique Lefèvre
`), 'latin1'),
        ]),
      };
    case 'forwarded':
      return {
        kind, messageId: id, ackTo: `erin${n}@reporter.test`, ackLanguage: 'en', noticeTo: ['ops@shop-hosting.test'], reporterName: 'Erin',
        raw: Buffer.from(crlf(`From: Erin <erin${n}@reporter.test>
To: abuse@example.net
Subject: Fwd: spam from your customer ${n}
Date: ${date(i)}
Message-ID: ${id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-boundary"

--fwd-boundary
Content-Type: text/plain; charset=utf-8

Hi, I keep receiving this unsolicited spam. The original is attached.

--fwd-boundary
Content-Type: message/rfc822

Received: from mail.shop.test (mail.shop.test [203.0.113.7]) by mx.reporter.test
From: Deals <deals@shop.test>
To: erin${n}@reporter.test
Subject: Cheap pills ${n}
Message-ID: <spam.${n}.${tag}@shop.test>

Buy now at http://deals.shop.test/pills?id=${n}

--fwd-boundary--
`)),
      };
    case 'arf':
      return {
        kind, messageId: id, ackTo: null, ackLanguage: null, noticeTo: ['ops@shop-hosting.test'], reporterName: null,
        raw: Buffer.from(crlf(`From: Feedback Loop <fbl@isp.test>
To: abuse@example.net
Subject: Email Feedback Report for IP 203.0.113.25
Date: ${date(i)}
Message-ID: ${id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf-boundary"

--arf-boundary
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP 203.0.113.25.

--arf-boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: FBL/1.0
Version: 1
Source-IP: 203.0.113.25
Arrival-Date: ${date(i)}

--arf-boundary
Content-Type: message/rfc822

From: news@shop.test
To: user@isp.test
Subject: offer ${n}
Message-ID: <arf-orig.${n}.${tag}@shop.test>

Spam body.
--arf-boundary--
`)),
      };
    case 'auto-reply':
      return {
        kind, messageId: id, ackTo: null, ackLanguage: null, noticeTo: [], reporterName: null,
        raw: Buffer.from(crlf(`From: Frank <frank${n}@reporter.test>
To: abuse@example.net
Subject: Out of office: [AD-PREVIOUS] We received your report
Date: ${date(i)}
Message-ID: ${id}
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday. http://www.example.test/ is not my problem.
`)),
      };
    case 'bounce':
      return {
        kind, messageId: id, ackTo: null, ackLanguage: null, noticeTo: [], reporterName: null,
        raw: Buffer.from(crlf(`From: Mail Delivery System <MAILER-DAEMON@mx.reporter.test>
To: abuse@example.net
Subject: Undelivered Mail Returned to Sender
Date: ${date(i)}
Message-ID: ${id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"

--dsn-boundary
Content-Type: text/plain

Your message to gone${n}@reporter.test could not be delivered.

--dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.reporter.test
Final-Recipient: rfc822; gone${n}@reporter.test
Action: failed
Status: 5.1.1

--dsn-boundary--
`)),
      };
    case 'newsletter':
      return {
        kind, messageId: id, ackTo: null, ackLanguage: null, noticeTo: [], reporterName: null,
        raw: Buffer.from(crlf(`From: Security Weekly <news@newsletter.test>
To: abuse@example.net
Subject: This week in security ${n}: phishing trends
Date: ${date(i)}
Message-ID: ${id}
List-Id: Security Weekly <weekly.newsletter.test>
List-Unsubscribe: <mailto:unsubscribe@newsletter.test>
Precedence: bulk
Content-Type: text/plain; charset=utf-8

This week: phishing kits hosted at http://www.example.test/ and elsewhere.
`)),
      };
  }
}

export const SAMPLE_KINDS: readonly SampleKind[] = ['plain-en', 'plain-fr', 'html-only', 'latin1', 'forwarded', 'arf', 'auto-reply', 'bounce', 'newsletter'];
