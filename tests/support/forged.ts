/** A complaint in someone else's name: the From is whatever the sender chose. */
export function forgedComplaint(i: number, from: string, url: string): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      'To: abuse@example.net',
      `Subject: Phishing page, report ${i}`,
      `Message-ID: <forged.${i}.${from.replace(/\W/g, '')}@forger.test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `The page ${url} imitates my bank and steals passwords. Please take it down.`,
      '',
    ].join('\r\n'),
  );
}

/** A DSN (RFC 3464) from the recipient's server: our mail to `failed` bounced for good. */
export function bounceOf(messageId: string, failed: string, action: 'failed' | 'delayed' = 'failed'): Buffer {
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.other.test>',
      'To: abuse@example.net',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn.${Math.random().toString(36).slice(2)}@mx.other.test>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.other.test',
      '',
      `Final-Recipient: rfc822; ${failed}`,
      `Action: ${action}`,
      `Status: ${action === 'failed' ? '5.1.1' : '4.4.1'}`,
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Example Hosting Abuse Desk <abuse@example.net>',
      `To: ${failed}`,
      `Message-ID: ${messageId}`,
      '',
      '--b1--',
      '',
    ].join('\r\n'),
  );
}
