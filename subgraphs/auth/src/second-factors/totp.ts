import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, six digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const CODE_SHAPE = /^\d{6}$/;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(options: { issuer: string; accountName: string; secret: string }): string {
  return generateURI({ issuer: options.issuer, label: options.accountName, secret: options.secret, period: TOTP_PERIOD_SECONDS });
}

/** The URI as a QR code in an SVG data URL, for an `<img src>`. */
export async function totpQrCodeSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/**
 * The time step a code is valid for, or null. One step of clock drift either way is allowed; a code of
 * a step at or before `lastUsedStep` is refused, so a code works once (RFC 6238 5.2).
 */
export async function acceptedTotpStep(input: { secret: string; code: string; lastUsedStep: number | null; nowMs: number }): Promise<number | null> {
  const code = input.code.replace(/\s+/g, '');
  if (!CODE_SHAPE.test(code)) return null;
  const result = await verify({
    secret: input.secret,
    token: code,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(input.nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(input.lastUsedStep === null ? {} : { afterTimeStep: input.lastUsedStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
