import { describe, expect, it } from 'vitest';
import { mailLanguage, renderMail, type MailData, type MailKind, type SupportedLanguage } from './mail.templates.js';

const LANGUAGES: readonly SupportedLanguage[] = ['en', 'de', 'fr', 'es'];
const LINK = 'https://shop.example/account/confirm?token=Zm9v_YmFy-42&next=%2Forders';
const LINK_IN_HTML = 'https://shop.example/account/confirm?token=Zm9v_YmFy-42&amp;next=%2Forders';

const SAMPLES: Record<MailKind, MailData> = {
  verify_email: { kind: 'verify_email', link: LINK },
  account_exists: { kind: 'account_exists', resetLink: LINK },
  signup_pending: { kind: 'signup_pending' },
  password_reset: { kind: 'password_reset', link: LINK },
  password_changed: { kind: 'password_changed' },
  email_change_confirm: { kind: 'email_change_confirm', link: LINK, newEmail: 'jane.doe@example.com' },
  email_change_requested: { kind: 'email_change_requested', newEmail: 'jane.doe@example.com' },
  email_changed: { kind: 'email_changed', newEmail: 'jane.doe@example.com' },
  totp_enabled: { kind: 'totp_enabled' },
  totp_removed: { kind: 'totp_removed' },
  passkey_added: { kind: 'passkey_added', passkeyName: 'iPhone' },
  passkey_removed: { kind: 'passkey_removed', passkeyName: 'iPhone' },
  recovery_codes_generated: { kind: 'recovery_codes_generated' },
  recovery_code_used: { kind: 'recovery_code_used' },
  second_factor_failed: { kind: 'second_factor_failed' },
};

const KINDS = Object.keys(SAMPLES) as MailKind[];
const WITH_LINK = new Set<MailKind>(['verify_email', 'account_exists', 'password_reset', 'email_change_confirm']);

/** The visible text of the html: tags dropped, the entities we emit decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderMail', () => {
  for (const kind of KINDS) {
    for (const language of LANGUAGES) {
      it(`renders ${kind} in ${language}`, () => {
        const mail = renderMail(SAMPLES[kind], language);
        expect(mail.language).toBe(language);
        expect(mail.subject.trim()).not.toBe('');
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text.trim().length).toBeGreaterThan(80);
        expect(mail.html).toMatch(/^<!doctype html>\n<html lang="([a-z]+)" dir="ltr">/);
        expect(mail.html).toContain(`<html lang="${language}"`);
        expect(mail.html).toContain(`<title>${mail.subject}</title>`);
        for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\w*\}/);
        if (WITH_LINK.has(kind)) {
          expect(mail.text).toContain(`\n\n${LINK}\n\n`);
          expect(mail.html).toContain(`href="${LINK_IN_HTML}"`);
          expect(mail.html).not.toContain(LINK);
        } else {
          expect(mail.text).not.toContain('https://');
          expect(mail.html).not.toContain('href=');
        }
      });
    }

    it(`words ${kind} differently in every language`, () => {
      const mails = LANGUAGES.map((language) => renderMail(SAMPLES[kind], language));
      expect(new Set(mails.map((mail) => mail.subject)).size).toBe(LANGUAGES.length);
      expect(new Set(mails.map((mail) => mail.text)).size).toBe(LANGUAGES.length);
    });
  }

  it('gives every kind its own subject', () => {
    for (const language of LANGUAGES) {
      const subjects = KINDS.map((kind) => renderMail(SAMPLES[kind], language).subject);
      expect(new Set(subjects).size).toBe(KINDS.length);
    }
  });

  it('renders exactly the expected English password reset', () => {
    const mail = renderMail({ kind: 'password_reset', link: 'https://shop.example/reset?token=abc' }, 'en-GB');
    expect(mail.subject).toBe('Reset your Meridian password');
    expect(mail.text).toBe(
      [
        'Hello,',
        'We received a request to reset the password for your Meridian account. Use the link below to choose a new password.',
        'https://shop.example/reset?token=abc',
        'This link is valid for 30 minutes.',
        'If you didn’t request this, you can ignore this email. Your password will stay the same.',
        'The Meridian team',
      ].join('\n\n') + '\n',
    );
    expect(mail.html).toContain('>Choose a new password</a>');
  });

  it('states the validity of each link in the reader’s language', () => {
    expect(renderMail(SAMPLES.verify_email, 'de').text).toContain('Der Link ist 24 Stunden gültig.');
    expect(renderMail(SAMPLES.password_reset, 'fr').text).toContain('Ce lien est valable 30\u00a0minutes.');
    expect(renderMail(SAMPLES.email_change_confirm, 'es').text).toContain('Este enlace es válido durante 24 horas.');
  });

  it('states no validity for the account-exists link, which opens the forgot-password page', () => {
    for (const language of LANGUAGES) expect(renderMail(SAMPLES.account_exists, language).text).not.toMatch(/\b(?:24|30)\b/);
  });

  it('shows the new address in full to the new mailbox and masked to the old one', () => {
    const confirm = renderMail(SAMPLES.email_change_confirm, 'en');
    expect(confirm.text).toContain('use jane.doe@example.com for your Meridian account');

    for (const kind of ['email_change_requested', 'email_changed'] as const) {
      for (const language of LANGUAGES) {
        const mail = renderMail(SAMPLES[kind], language);
        expect(mail.text).toContain(' j***@example.com');
        expect(visibleText(mail.html)).toContain(' j***@example.com');
        expect(mail.text + mail.html).not.toContain('jane.doe');
      }
    }
    expect(renderMail({ kind: 'email_changed', newEmail: 'x@b.example' }, 'en').text).toContain('changed to x***@b.example.');
    expect(renderMail({ kind: 'email_changed', newEmail: 'not-an-address' }, 'en').text).toContain('changed to ***.');
  });

  it('escapes interpolated values in the html and keeps them verbatim in the text', () => {
    const hostile = '<script>alert("x")</script>@example.com';
    const confirm = renderMail({ kind: 'email_change_confirm', link: LINK, newEmail: hostile }, 'en');
    expect(confirm.text).toContain(`use ${hostile} for`);
    expect(confirm.html).toContain('use &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;@example.com for');
    expect(confirm.html).not.toContain('<script');

    const masked = renderMail({ kind: 'email_changed', newEmail: 'a@"><img src=x onerror=alert(1)>.example' }, 'de');
    expect(masked.html).toContain('a***@&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.example');
    expect(masked.html).not.toContain('<img');
  });

  it('escapes a link for the href attribute', () => {
    const link = 'https://shop.example/verify?token=a"b<c>&d=\'e\'';
    const mail = renderMail({ kind: 'verify_email', link }, 'en');
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.html).toContain('href="https://shop.example/verify?token=a&quot;b&lt;c&gt;&amp;d=&#39;e&#39;"');
  });

  it('refuses links that are not http(s)', () => {
    expect(() => renderMail({ kind: 'password_reset', link: 'javascript:alert(1)' }, 'en')).toThrow('mail links must be http(s) URLs');
    expect(() => renderMail({ kind: 'verify_email', link: 'shop.example/verify' }, 'en')).toThrow('mail links must be http(s) URLs');
  });
});

describe('mailLanguage', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['de', 'de'],
    ['de-AT', 'de'],
    ['DE-ch', 'de'],
    ['de_AT', 'de'],
    ['fr-CA', 'fr'],
    ['fr', 'fr'],
    ['es-419', 'es'],
    ['es-ES', 'es'],
    [' es ', 'es'],
  ] as const)('maps %j to %s', (locale, language) => {
    expect(mailLanguage(locale)).toBe(language);
  });

  it.each([['ja'], ['ja-JP'], ['pt-BR'], [''], ['garbage'], ['deutsch'], ['d'], ['-de'], ['de;q=0.9'], [null], [undefined]])(
    'falls back to English for %j',
    (locale) => {
      expect(mailLanguage(locale)).toBe('en');
    },
  );

  it('decides the language renderMail uses', () => {
    expect(renderMail(SAMPLES.password_changed, 'fr-CA').subject).toBe('Votre mot de passe Meridian a été modifié');
    expect(renderMail(SAMPLES.password_changed, 'es-419').subject).toBe('Se ha cambiado tu contraseña de Meridian');
    expect(renderMail(SAMPLES.password_changed, 'de-AT').subject).toBe('Ihr Meridian-Passwort wurde geändert');
    expect(renderMail(SAMPLES.password_changed, 'ja').subject).toBe('Your Meridian password has been changed');
    expect(renderMail(SAMPLES.password_changed, null).language).toBe('en');
  });
});
