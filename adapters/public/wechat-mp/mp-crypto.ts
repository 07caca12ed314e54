import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's message encryption for the public account's callback (安全模式 and 兼容模式, "消息加解密"),
 * as in WeChat's WXBizMsgCrypt samples:
 * - key = base64-decode(EncodingAESKey + '='), 32 bytes; IV = the key's first 16 bytes; AES-256-CBC;
 * - plaintext = 16 random bytes ‖ 4-byte big-endian length of the XML ‖ XML ‖ AppID,
 *   PKCS#7-padded to 32-byte blocks (pad values 1…32, not AES's 16);
 * - `msg_signature` = SHA-1 hex of the sorted [Token, timestamp, nonce, Encrypt] joined.
 * Expected failures (a foreign AppID, a corrupt ciphertext) are returned values, not throws.
 */

/** PKCS#7 block size WeChat pads to, bytes (twice AES's block). */
export const MP_PAD_BLOCK_BYTES = 32;

/** The 32-byte AES key from the 43-character EncodingAESKey, or null when it is not one. */
export function parseEncodingAesKey(encodingAesKey: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) return null;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : null;
}

/** SHA-1 hex of the sorted token, timestamp, nonce and Encrypt: the `msg_signature` of an encrypted message. */
export function mpMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** Constant-time comparison of a hex signature from the query with the expected one (case-insensitive). */
export function signatureMatches(expectedHex: string, givenHex: string): boolean {
  const want = Buffer.from(expectedHex);
  const got = Buffer.from(givenHex.toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Why an `<Encrypt>` could not be opened; every one means "not from our account with our key". */
export type MpDecryptFailure = 'not-base64' | 'bad-length' | 'bad-padding' | 'bad-frame' | 'wrong-app-id';

/**
 * Opens an `<Encrypt>` value: the inner XML when it decrypts, is well padded and names `appId`
 * at its end; otherwise why not.
 */
export function decryptMpMessage(key: Buffer, encrypt: string, appId: string): { ok: true; xml: string } | { ok: false; reason: MpDecryptFailure } {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt) || encrypt.length % 4 !== 0) return { ok: false, reason: 'not-base64' };
  const cipherText = Buffer.from(encrypt, 'base64');
  if (cipherText.length === 0 || cipherText.length % MP_PAD_BLOCK_BYTES !== 0) return { ok: false, reason: 'bad-length' };
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > MP_PAD_BLOCK_BYTES || plain.subarray(plain.length - pad).some((b) => b !== pad)) return { ok: false, reason: 'bad-padding' };
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) return { ok: false, reason: 'bad-frame' };
  const xmlLength = body.readUInt32BE(16);
  if (20 + xmlLength > body.length) return { ok: false, reason: 'bad-frame' };
  const sender = body.subarray(20 + xmlLength);
  const want = Buffer.from(appId, 'utf8');
  if (sender.length !== want.length || !timingSafeEqual(sender, want)) return { ok: false, reason: 'wrong-app-id' };
  return { ok: true, xml: body.subarray(20, 20 + xmlLength).toString('utf8') };
}

/**
 * Seals XML the way WeChat expects it back: base64 of AES-256-CBC over random16 ‖ length ‖ XML ‖ AppID,
 * padded to 32 bytes. `random16` is for tests; by default fresh random bytes.
 */
export function encryptMpMessage(key: Buffer, xml: string, appId: string, random16: Buffer = randomBytes(16)): string {
  if (random16.length !== 16) throw new RangeError('random16 must be 16 bytes');
  const xmlBytes = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(xmlBytes.length);
  const body = Buffer.concat([random16, length, xmlBytes, Buffer.from(appId, 'utf8')]);
  const pad = MP_PAD_BLOCK_BYTES - (body.length % MP_PAD_BLOCK_BYTES);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/**
 * The encrypted passive reply: `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`, signed
 * with the token over the reply's own timestamp (seconds) and nonce.
 */
export function encryptedReplyXml(opts: { key: Buffer; token: string; appId: string; xml: string; timestampS: number; nonce: string }): string {
  const encrypt = encryptMpMessage(opts.key, opts.xml, opts.appId);
  const timestamp = String(opts.timestampS);
  const signature = mpMsgSignature(opts.token, timestamp, opts.nonce, encrypt);
  return `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${opts.nonce}]]></Nonce></xml>`;
}
