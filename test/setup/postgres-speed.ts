/**
 * For the servers the tests start and throw away: no waiting on the disk. A crash of the machine
 * may lose such a server's data, which a test server does not keep anyway. Never for production.
 */
export const TEST_POSTGRES_SPEED: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};
