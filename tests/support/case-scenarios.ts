/**
 * The three situations the case store exists for, as mail: many people
 * reporting one phishing page, a spam campaign sent from several addresses
 * of one customer, and one person reporting threats from two accounts again
 * and again. Reserved names and addresses only (RFC 2606 / 5737).
 */

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

/** Report `i` of the phishing page www.example.test (customer C100), from reporter i % reporters. */
export function phishingReport(i: number, reporters: number, tag: string): { raw: Buffer; reporter: string } {
  const reporter = `phish${i % reporters}@reporter.test`;
  return {
    reporter,
    raw: crlf(`From: Reporter ${i % reporters} <${reporter}>
To: abuse@example.net
Subject: Phishing page imitating my bank (${i})
Message-ID: <phish.${i}.${tag}@reporter.test>
Content-Type: text/plain; charset=utf-8

Hello,

This page imitates my bank's login page and steals passwords:
http://www.example.test/account/verify.php

I declare in good faith that the information in this notice is accurate and complete.
`),
  };
}

export const CAMPAIGN_IPS = ['203.0.113.7', '203.0.113.8', '203.0.113.9'];

/** Spam report `i`, forwarded as an attachment: sent from one of three addresses of customer C200, advertising one site. */
export function campaignReport(i: number, tag: string): { raw: Buffer; reporter: string; ip: string } {
  const reporter = `spam${i}@reporter.test`;
  const ip = CAMPAIGN_IPS[i % CAMPAIGN_IPS.length]!;
  return {
    reporter,
    ip,
    raw: crlf(`From: Spam Recipient ${i} <${reporter}>
To: abuse@example.net
Subject: Fwd: spam from your network
Message-ID: <campaign.${i}.${tag}@reporter.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

I never asked for this. The original is attached.

--b
Content-Type: message/rfc822

Received: from sender${i % 3}.pills-mailer.test (sender${i % 3}.pills-mailer.test [${ip}]) by mx.reporter.test
From: Best Deals <deals@pills-campaign.test>
To: ${reporter}
Subject: Cheap pills, ${i} left in stock
Message-ID: <spam.${i}.${tag}@pills-campaign.test>

Dear customer ${i},

Cheap pills without prescription, delivered discreetly in 24 hours. Order now
before stocks run out, only today with a discount of 80 percent on every order.
Visit http://pills-campaign.test/buy and enter your code ${1000 + i}.

--b--
`),
  };
}

export const HARASSER_ACCOUNTS = ['some_handle', 'troll_account'];

/** Report `i` of one person about threats from two accounts on our platform (customers C100 and C300). */
export function threatReport(i: number, tag: string): { raw: Buffer; reporter: string } {
  const reporter = 'salome.victim@reporter.test';
  return {
    reporter,
    raw: crlf(`From: Salome Victim <${reporter}>
To: abuse@example.net
Subject: They are threatening to kill me (report ${i + 1})
Message-ID: <threat.${i}.${tag}@reporter.test>
Content-Type: text/plain; charset=utf-8

The accounts @${HARASSER_ACCOUNTS[0]} and @${HARASSER_ACCOUNTS[1]} keep sending me death threats:
"we know where you live, we will kill you". They posted my home address.
This is the ${i + 1}th time I write to you. I am scared for my life.

Salomé
`),
  };
}
