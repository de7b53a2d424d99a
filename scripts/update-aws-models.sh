#!/usr/bin/env bash
# Refreshes packages/aws-sandbox/models/ from AWS's official service models, as
# botocore ships them (botocore/data/<service>/<version>/service-2.json), taken
# from Debian's python3-botocore package: the npm registry has no package with
# the full models (aws-sdk v2 publishes only the .min.json files, which drop every
# constraint: patterns, lengths, ranges and enums). Documentation strings are
# removed; nothing else is changed. Run it by hand to move to newer models; the
# tests read the committed files and never reach a registry.
#   scripts/update-aws-models.sh [debian-suite]   (default: sid)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUITE="${1:-sid}"
SERVICES=(sagemaker codepipeline codebuild servicecatalog s3 sts sqs events ecr)
OUT="$REPO_ROOT/packages/aws-sandbox/models"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache"
echo "deb http://deb.debian.org/debian $SUITE main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
apt-get "${apt_opts[@]}" update >/dev/null
(cd "$work" && apt-get "${apt_opts[@]}" download python3-botocore >/dev/null 2>&1)
deb="$(ls "$work"/python3-botocore_*.deb)"
dpkg-deb -x "$deb" "$work/x"
data="$work/x/usr/lib/python3/dist-packages/botocore/data"

mkdir -p "$OUT"
node - "$data" "$OUT" "$(basename "$deb")" "$(sha256sum "$deb" | cut -d' ' -f1)" "${SERVICES[@]}" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const [data, out, deb, sha256, ...services] = process.argv.slice(2);
const strip = value => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'documentation' && k !== 'documentationUrl').map(([k, v]) => [k, strip(v)]));
  }
  return value;
};
const sources = {};
for (const service of services) {
  const [version] = fs.readdirSync(path.join(data, service)).sort().reverse();
  const file = path.join(data, service, version, 'service-2.json');
  const raw = fs.existsSync(file) ? fs.readFileSync(file) : zlib.gunzipSync(fs.readFileSync(`${file}.gz`));
  fs.writeFileSync(path.join(out, `${service}.json`), `${JSON.stringify(strip(JSON.parse(raw)))}\n`);
  sources[service] = `botocore/data/${service}/${version}/service-2.json`;
}
fs.writeFileSync(path.join(out, 'SOURCE.json'), `${JSON.stringify({ package: deb, sha256, files: sources }, null, 2)}\n`);
JS
echo "models of ${SERVICES[*]} written to $OUT from $(basename "$deb")"
