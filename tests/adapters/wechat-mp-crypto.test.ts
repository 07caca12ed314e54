/**
 * WeChat's message encryption (安全模式/兼容模式) in the adapter, checked against WeChat's own
 * published sample and against an independent reference written in the test helper: the key from the
 * EncodingAESKey, PKCS#7 to 32-byte blocks at every edge, the AppID check, and corrupt input refused
 * as a value.
 */
import { describe, expect, it } from 'vitest';
import { decryptMpMessage, encryptedReplyXml, encryptMpMessage, mpMsgSignature, parseEncodingAesKey } from '../../adapters/public/wechat-mp/mp-crypto';
import { framePlaintext, pad32, rawEncrypt, referenceDecrypt, referenceEncrypt, referenceKey, referenceSignature } from '../helpers/mp-reference-crypto';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx2c2769f8efd9abc2';
const key = parseEncodingAesKey(AES_KEY)!;

describe('WeChat\'s published sample (WXBizMsgCrypt, token spamtest)', () => {
  const encrypt =
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';

  it('its msg_signature is SHA-1 of the sorted token, timestamp, nonce and Encrypt', () => {
    expect(mpMsgSignature('spamtest', '1409735669', '1320562132', encrypt)).toBe('5d197aaffba7e9b25a30732f161a50dee96bd5fa');
  });

  it('decrypts to the text message it carries, for its AppID only', () => {
    const opened = decryptMpMessage(key, encrypt, APP_ID);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.xml).toContain('<Content><![CDATA[abcdteT]]></Content>');
    expect(opened.xml).toContain('<MsgId>6054768590064713728</MsgId>');
    expect(decryptMpMessage(key, encrypt, 'wx2c2769f8efd9abc3')).toEqual({ ok: false, reason: 'wrong-app-id' });
  });
});

describe('parseEncodingAesKey', () => {
  it.each([
    [AES_KEY, true],
    ['kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', true],
    [AES_KEY.slice(0, 42), false],
    [`${AES_KEY}=`, false],
    [`${AES_KEY}A`, false],
    [`${AES_KEY.slice(0, 42)}-`, false],
    [`${AES_KEY.slice(0, 42)}_`, false],
    ['', false],
  ])('%j → valid %s', (text, valid) => {
    const parsed = parseEncodingAesKey(text);
    expect(parsed !== null).toBe(valid);
    if (valid) expect(parsed!.equals(referenceKey(text).key)).toBe(true);
  });
});

/** An XML whose frame (16 + 4 + XML + AppID) is `frameBytes` long, so the pad is 32 − frameBytes mod 32. */
function xmlForFrame(frameBytes: number): string {
  const shell = '<xml><Content><![CDATA[]]></Content></xml>';
  const fill = frameBytes - 20 - APP_ID.length - shell.length;
  if (fill < 0) throw new Error('frame too short');
  return shell.replace('[]', `[${'路'.repeat(Math.floor(fill / 3))}${'x'.repeat(fill % 3)}]`);
}

describe('padding to 32-byte blocks, at every edge', () => {
  // frame length → expected pad: a full block of 32 when the frame ends on a block boundary; 16, where AES's own padding would stop.
  it.each([
    [128, 32],
    [127, 1],
    [129, 31],
    [112, 16],
    [113, 15],
    [111, 17],
    [96 + 31, 1],
    [160, 32],
  ])('a %i-byte frame gets %i bytes of padding, and both sides agree', (frameBytes, pad) => {
    const xml = xmlForFrame(frameBytes);
    expect(framePlaintext(xml, APP_ID, Buffer.alloc(16)).length).toBe(frameBytes);
    const random16 = Buffer.from('0123456789abcdef');
    // The adapter's ciphertext is byte for byte the reference's …
    const ours = encryptMpMessage(key, xml, APP_ID, random16);
    expect(ours).toBe(referenceEncrypt(AES_KEY, xml, APP_ID, random16));
    const opened = referenceDecrypt(AES_KEY, ours);
    expect(opened).toEqual({ xml, appId: APP_ID, pad });
    // … and the adapter opens what the reference sealed.
    expect(decryptMpMessage(key, referenceEncrypt(AES_KEY, xml, APP_ID), APP_ID)).toEqual({ ok: true, xml });
  });

  it('fresh random bytes each time: the same XML never seals the same way twice', () => {
    const xml = '<xml><Content><![CDATA[张仪村路灯不亮]]></Content></xml>';
    const a = encryptMpMessage(key, xml, APP_ID);
    const b = encryptMpMessage(key, xml, APP_ID);
    expect(a).not.toBe(b);
    expect(referenceDecrypt(AES_KEY, a).xml).toBe(xml);
    expect(referenceDecrypt(AES_KEY, b).xml).toBe(xml);
  });
});

describe('what does not open is refused as a value', () => {
  const { key: k, iv } = referenceKey(AES_KEY);
  const xml = '<xml><Content><![CDATA[路灯不亮]]></Content></xml>';
  const frame = framePlaintext(xml, APP_ID, Buffer.alloc(16, 7));
  /** Seals raw bytes (a multiple of 32) as they are, adding no padding. */
  const sealRaw = (plain: Buffer) => rawEncrypt(k, iv, plain).toString('base64');
  /** The pad length the frame naturally gets. */
  const n = 32 - (frame.length % 32);
  const otherKey = parseEncodingAesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR')!;

  it.each<[string, string, string, string]>([
    ['another AppID', referenceEncrypt(AES_KEY, xml, 'wx0000000000000000'), APP_ID, 'wrong-app-id'],
    ['the AppID with one more character', referenceEncrypt(AES_KEY, xml, `${APP_ID}x`), APP_ID, 'wrong-app-id'],
    ['a prefix of the AppID', referenceEncrypt(AES_KEY, xml, APP_ID.slice(0, -1)), APP_ID, 'wrong-app-id'],
    ['no AppID at all', referenceEncrypt(AES_KEY, xml, ''), APP_ID, 'wrong-app-id'],
    ['a pad byte of 0', sealRaw(Buffer.concat([frame, Buffer.alloc(n - 1, n), Buffer.from([0])])), APP_ID, 'bad-padding'],
    ['a pad byte of 33', sealRaw(Buffer.concat([frame, Buffer.alloc(n + 32, 33)])), APP_ID, 'bad-padding'],
    ['pad bytes that disagree', sealRaw(Buffer.concat([frame, Buffer.from([n + 1]), Buffer.alloc(n - 1, n)])), APP_ID, 'bad-padding'],
    ['a length field beyond the message', sealRaw(pad32(Buffer.concat([Buffer.alloc(16), Buffer.from([0, 0, 1, 0]), Buffer.from(xml), Buffer.from(APP_ID)]))), APP_ID, 'bad-frame'],
    ['fewer than 20 bytes before the padding', sealRaw(Buffer.concat([Buffer.alloc(10, 1), Buffer.alloc(22, 22)])), APP_ID, 'bad-frame'],
    ['not base64', 'not base64 at all!', APP_ID, 'not-base64'],
    ['base64 of a length that is no block multiple', Buffer.alloc(48, 1).toString('base64'), APP_ID, 'bad-length'],
    ['nothing', '', APP_ID, 'not-base64'],
  ])('%s → %s', (_what, encrypt, appId, reason) => {
    expect(decryptMpMessage(key, encrypt, appId)).toEqual({ ok: false, reason });
  });

  it('the table\'s own check: the same frame, padded right and sealed the same way, opens', () => {
    expect(n).toBeGreaterThan(1);
    expect(decryptMpMessage(key, sealRaw(Buffer.concat([frame, Buffer.alloc(n, n)])), APP_ID)).toEqual({ ok: true, xml });
  });

  it('a message sealed with another key does not open', () => {
    const sealed = encryptMpMessage(otherKey, xml, APP_ID);
    expect(decryptMpMessage(key, sealed, APP_ID).ok).toBe(false);
  });
});

describe('encryptedReplyXml', () => {
  it('carries Encrypt, a MsgSignature over it, the timestamp and nonce; WeChat\'s side opens it', () => {
    const reply = '<xml><ToUserName><![CDATA[oUser]]></ToUserName><Content><![CDATA[编号 #7]]></Content></xml>';
    const out = encryptedReplyXml({ key, token: 'spamtest', appId: APP_ID, xml: reply, timestampS: 1_800_000_000, nonce: '4711' });
    const m = /^<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature><TimeStamp>1800000000<\/TimeStamp><Nonce><!\[CDATA\[4711\]\]><\/Nonce><\/xml>$/.exec(out);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(referenceSignature('spamtest', '1800000000', '4711', m![1]!));
    expect(referenceDecrypt(AES_KEY, m![1]!)).toMatchObject({ xml: reply, appId: APP_ID });
  });
});
