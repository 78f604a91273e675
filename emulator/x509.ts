/** The single entry point to @peculiar/x509 in the emulator: the reflect shim must be evaluated first. */
import './reflect-shim';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
