import { TestDatabaseId } from '@backstage/backend-test-utils';

/**
 * The databases every database test runs on. PostgreSQL comes from the server
 * named by BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, which
 * setupTests.ts points at 127.0.0.1:5432 unless told otherwise; it is never
 * silently skipped.
 */
export const DATABASES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];
