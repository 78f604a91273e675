import { z } from 'zod';
import { SIGNING_ALG_VALUES } from './signing-algorithms';

/** The actions' and forms' validation of `signing_alg` (kept apart so the browser's imports carry no zod). */
export const signingAlgSchema = z.enum(SIGNING_ALG_VALUES);
