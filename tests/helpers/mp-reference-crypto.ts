/**
 * An independent rendering of WeChat's message encryption (公众号「消息加解密」) for tests: what
 * WeChat's servers do, written from the published description rather than from the adapter, so the
 * adapter is checked against it. Raw AES-256-CBC (no automatic padding) with every step spelled out.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

/** A 43-character EncodingAESKey and its key/IV, as WeChat derives them. */
export function referenceKey(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error(`EncodingAESKey gives ${key.length} bytes, not 32`);
  return { key, iv: Buffer.from(key.subarray(0, 16)) };
}

/** AES-256-CBC over bytes whose length is already a multiple of 16; no padding added. */
export function rawEncrypt(key: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]);
}

/** AES-256-CBC decryption; no padding removed. */
export function rawDecrypt(key: Buffer, iv: Buffer, cipherText: Buffer): Buffer {
  const d = createDecipheriv('aes-256-cbc', key, iv);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(cipherText), d.final()]);
}

/** random(16) ‖ uint32be(len(xml)) ‖ xml ‖ appId, before padding. */
export function framePlaintext(xml: string, appId: string, random16: Buffer): Buffer {
  const xmlBytes = Buffer.from(xml, 'utf8');
  const len = Buffer.from([(xmlBytes.length >>> 24) & 0xff, (xmlBytes.length >>> 16) & 0xff, (xmlBytes.length >>> 8) & 0xff, xmlBytes.length & 0xff]);
  return Buffer.concat([random16, len, xmlBytes, Buffer.from(appId, 'utf8')]);
}

/** PKCS#7 to 32-byte blocks: n bytes of value n, n in 1…32. */
export function pad32(b: Buffer): Buffer {
  const n = 32 - (b.length % 32);
  return Buffer.concat([b, Buffer.from(new Array<number>(n).fill(n))]);
}

/** The `<Encrypt>` WeChat would send for this XML. */
export function referenceEncrypt(encodingAesKey: string, xml: string, appId: string, random16 = Buffer.alloc(16, 0x61)): string {
  const { key, iv } = referenceKey(encodingAesKey);
  return rawEncrypt(key, iv, pad32(framePlaintext(xml, appId, random16))).toString('base64');
}

/** Opens an `<Encrypt>` the way WeChat's client would; throws on anything malformed. */
export function referenceDecrypt(encodingAesKey: string, encrypt: string): { xml: string; appId: string; pad: number } {
  const { key, iv } = referenceKey(encodingAesKey);
  const plain = rawDecrypt(key, iv, Buffer.from(encrypt, 'base64'));
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 32) throw new Error(`bad pad ${pad}`);
  const unpadded = plain.subarray(0, plain.length - pad);
  const len = unpadded.readUInt32BE(16);
  return { xml: unpadded.subarray(20, 20 + len).toString('utf8'), appId: unpadded.subarray(20 + len).toString('utf8'), pad };
}

/** SHA-1 hex over the sorted parts, joined: `signature` (3 parts) and `msg_signature` (4 parts). */
export function referenceSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}
