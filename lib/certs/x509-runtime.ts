/**
 * The one entry point to @peculiar/x509 inside lib/certs. Its algorithm registry (tsyringe) refuses to load unless the
 * Reflect metadata API exists; module evaluation follows source order, so the polyfill runs first. Its light entry
 * leaves out the Map, Set and WeakMap fallbacks every supported browser and Node has. Importing '@peculiar/x509'
 * anywhere else first would throw.
 */
import 'reflect-metadata/lite';

export { PemConverter, X509Certificate, X509Certificates } from '@peculiar/x509';
