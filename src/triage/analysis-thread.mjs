// Entry of an analysis thread: threads do not inherit the tsx loader that
// bin/abuse-desk.js registers in the main thread, so each registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./analysis-thread.ts');
