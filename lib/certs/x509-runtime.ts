/**
 * The one entry point to @peculiar/x509 inside lib/certs. Module evaluation follows source order, so the shim runs
 * before tsyringe's load-time check; importing '@peculiar/x509' anywhere else first would throw in the browser.
 */
import './reflect-metadata-shim';

export { PemConverter, X509Certificate, X509Certificates } from '@peculiar/x509';
