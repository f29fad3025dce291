const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const BODY_STYLE = 'margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5';
const ARTICLE_STYLE = 'max-width:560px;margin:0 auto';

/**
 * The HTML part every Meridian e-mail shares: the document, its language and title, and one article holding
 * `content` (lines of HTML, escaped by the caller). Inline styles only: mail clients drop style sheets.
 */
export function htmlEmail(language: string, subject: string, content: readonly string[]): string {
  const title = escapeHtml(subject);
  return [
    '<!doctype html>',
    `<html lang="${language}" dir="ltr">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    '</head>',
    `<body style="${BODY_STYLE}">`,
    // role/aria-roledescription: screen readers announce an e-mail rather than an anonymous region.
    `<div role="article" aria-roledescription="email" aria-label="${title}" lang="${language}" style="${ARTICLE_STYLE}">`,
    ...content,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
