import { join } from 'node:path';

/** ../shared/corpus beside the checkout (CI clones the repo with ../shared next to it): real reports, never fetched or mailed. */
export const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;

/** A corpus file's path, from its folder and name ("ovh-cerberus-core/sample3"). */
export const corpusFile = (rel: string): string => join(CORPUS, rel);
