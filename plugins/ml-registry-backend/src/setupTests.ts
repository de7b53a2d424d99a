// Database tests run on PostgreSQL too; without a server there they fail
// rather than skip. scripts/test.sh makes sure one answers.
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';
