export { type CertificateDigests, certificateDigests } from './digests';
export {
  DOWNLOAD_KINDS,
  DOWNLOAD_MIME_TYPES,
  type DownloadFile,
  type DownloadKind,
  downloadBody,
  downloadFile,
  isDownloadKind,
  MAX_FILENAME_LENGTH,
} from './download';
export { derToPem, pemToDer, toBase64Url, toHex } from './encoding';
export { CertificateError, type CertificateErrorCode, isCertificateError } from './errors';
export { type CertificateFacts, certificateFactsFromDer, parseCertificate } from './parse-certificate';
export { pkcs7Certificates, pkcs7HoldsCertificate } from './pkcs7';
export {
  describePublicKey,
  EC_CURVES,
  type EcCurve,
  type PublicKeyFacts,
  type SignatureAlgorithmFacts,
} from './public-key';
export { signingAlgSchema } from './signing-alg-schema';
export {
  algorithmKeyWarning,
  algorithmMatchesKey,
  DEFAULT_SIGNING_ALG,
  isSigningAlg,
  type KeyRequirement,
  MIN_RSA_BITS,
  SIGNING_ALG_VALUES,
  SIGNING_ALGORITHM_LIST,
  SIGNING_ALGORITHMS,
  type SigningAlg,
  type SigningAlgorithmInfo,
} from './signing-algorithms';
export { EXPIRING_WITHIN_DAYS, type Validity, type ValidityStatus, validity } from './validity';
export {
  type Auth0CertificateDigests,
  type Auth0Verification,
  auth0CertificateDigestsSchema,
  type DigestCheck,
  type DigestField,
  verifyAgainstAuth0,
} from './verify-auth0';
