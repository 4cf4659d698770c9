import nodemailer from "nodemailer";

/** One message as a transport sends it: everything resolved, attachments in memory. */
export interface OutgoingMail {
  fromName: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** Delivers a message or throws; the outbox records the outcome. */
export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * SMTP through nodemailer. `url` is `smtp://user:pass@host:port` (`smtps://` for TLS on
 * connect; nodemailer's URL options such as `?tls.rejectUnauthorized=false` apply);
 * `fromAddress` is the envelope and header sender, shown with the tenant's name.
 */
export function smtpTransport(opts: { url: string; fromAddress: string; timeoutMs?: number }): MailTransport {
  const timeout = opts.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({ url: opts.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    name: "smtp",
    async send(mail) {
      const info = await transporter.sendMail({
        from: { name: mail.fromName, address: opts.fromAddress },
        to: mail.to,
        cc: mail.cc.length ? mail.cc : undefined,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? undefined,
        attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
      return { messageId: info.messageId };
    },
  };
}

/** The configured transport: SMTP when `SMTP_URL` is set, otherwise none (the outbox is the delivery). */
export function transportFromConfig(config: { SMTP_URL?: string; MAIL_FROM: string }): MailTransport | null {
  return config.SMTP_URL ? smtpTransport({ url: config.SMTP_URL, fromAddress: config.MAIL_FROM }) : null;
}
