module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // rhdh-cli's export output (yarn export-dynamic): generated bundles
  ignorePatterns: ['dist-dynamic/**'],
});
