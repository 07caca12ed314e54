import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import QRCode from 'qrcode';
import qrcodeTerminal from 'qrcode-terminal';
import { qrcodeValueToImageUrl } from 'wechaty';
import { errorSummary } from '../../../bot/app';
import type { Logger } from '../../../core/ports';

/** File name of the login QR code under DATA_DIR (overwritten by each new code). */
export const LOGIN_QR_FILE = 'wechaty-login-qr.png';

/**
 * Shows a WeChat login QR code three ways, since the operator may sit at the terminal, on a server
 * over SSH, or only see the logs: drawn on `terminal` (stderr — stdout belongs to the console chat),
 * saved as a PNG under `dataDir`, and its URL (plus a web page that draws it) in the log.
 * Returns the PNG's path, or null when it could not be written (the other two still happened).
 */
export async function showLoginQr(qrcode: string, opts: { dataDir: string; terminal: Writable; logger: Logger }): Promise<string | null> {
  qrcodeTerminal.generate(qrcode, { small: true }, (art) => opts.terminal.write(`请用作为机器人的微信扫码登录：\n${art}\n`));
  const file = join(opts.dataDir, LOGIN_QR_FILE);
  let saved: string | null = file;
  try {
    await mkdir(opts.dataDir, { recursive: true });
    await QRCode.toFile(file, qrcode, { type: 'png', width: 320, margin: 2 });
  } catch (err) {
    saved = null;
    opts.logger.warn({ file, err: errorSummary(err) }, 'could not save the WeChat login QR code as PNG');
  }
  opts.logger.info({ url: qrcode, image: qrcodeValueToImageUrl(qrcode), file: saved }, 'scan the QR code with the WeChat account the bot should use');
  return saved;
}
