import type { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix:` (SCAN, never FLUSHDB): how the demo, the
 * tests and the bench clean up after themselves without touching other keys.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
