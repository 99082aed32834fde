// Personal-link tokens. A token is never stored: the invitation keeps a random nonce, the token is
// HMAC(link key, nonce), and look-ups go by sha256(token). So a reminder can re-send the same link, and a copy
// of the database alone opens nothing. The link key is derived from the server secret (JWT_SECRET): rotating
// that secret changes every derived token, so every link must then be issued again (README «セキュリティ»).
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** The key links are derived with, from the server secret (a separate key from the one that signs sessions). */
export function linkKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'chukakushi-survey', 'invitation-links:v1', 32));
}

/** 32 random bytes, URL-safe. */
export function newTokenNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** The personal-link token of a nonce: 256 bits, URL-safe. */
export function deriveInvitationToken(key: Buffer, nonce: string): string {
  return createHmac('sha256', key).update(`invitation:${nonce}`).digest('base64url');
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function invitationUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/r/${token}`;
}

/** Marks the place of a personal link in a stored mail body; replaced when the mail is sent or downloaded. */
export const LINK_PLACEHOLDER = '〔個人用リンク〕';

/** A personal link's path with the token hidden, for request logs. */
export function redactLinkPath(url: string): string {
  return url.replace(/^\/r\/[^/?#]+/, '/r/[非表示]');
}
