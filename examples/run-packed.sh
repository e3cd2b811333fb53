#!/usr/bin/env bash
# Packs the four packages, installs the tarballs into a scratch project OUTSIDE the repository (only the npm
# registry is needed), type-checks the examples there with skipLibCheck false, and runs each; every example asserts
# its own results, and so does the CLI session (d), run with the installed `berth` bin. DATABASE_URL set → the
# examples run against that Postgres too (on PGlite first, then once more with it).
# Usage: examples/run-packed.sh   (after `npx tsc -b`)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d /tmp/berth-packed.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/packs"
for pkg in core adapters http gates; do
  (cd "$repo/packages/$pkg" && npm pack --silent --pack-destination "$scratch/packs" >/dev/null)
done
cd "$scratch"
printf '{ "name": "berth-packed-examples", "private": true, "type": "module" }\n' >package.json
npm install --prefer-offline --no-audit --no-fund --loglevel=error ./packs/*.tgz typescript@~5.9.3 tsx@^4.23 >/dev/null
# One effect in the tree: two copies break Tag identity.
test "$(npm ls effect --all --parseable 2>/dev/null | grep -c 'node_modules/effect$')" = 1
cp "$repo"/examples/*.ts .
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2022", "DOM"], "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "exactOptionalPropertyTypes": true, "skipLibCheck": false, "noEmit": true, "types": ["node"]
  },
  "include": ["*.ts"]
}
JSON
npx tsc -p .
for example in effect-host node-mount promise-api; do
  (unset DATABASE_URL; npx tsx "$example.ts")
  if [ -n "${DATABASE_URL:-}" ]; then npx tsx "$example.ts"; fi
done
# (d) an operator's CLI session, with the `berth` bin the tarball installed (its server on the same database).
(unset DATABASE_URL; BERTH="$scratch/node_modules/.bin/berth" bash "$repo/examples/cli-session.sh")
if [ -n "${DATABASE_URL:-}" ]; then BERTH="$scratch/node_modules/.bin/berth" bash "$repo/examples/cli-session.sh"; fi
echo "run-packed: every example passed from the packed tarballs"
