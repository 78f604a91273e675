/** The single entry point to @peculiar/x509 in the emulator: tsyringe, under it, needs the Reflect metadata API first. */
import 'reflect-metadata/lite';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
