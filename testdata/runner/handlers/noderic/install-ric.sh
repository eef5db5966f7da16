#!/bin/sh
# Installs AWS's Node.js Runtime Interface Client (npm aws-lambda-ric,
# pinned) into DIR and builds its native client (aws-lambda-cpp and a
# bundled libcurl: needs g++ make cmake autoconf automake libtool).
# Idempotent. npm 11 runs a dependency's install scripts only when
# approved, so they are run here explicitly; node-gyp takes Node's headers
# from this Node installation (nodedir) instead of downloading them.
set -eu
dir=$1
ric="$dir/node_modules/aws-lambda-ric"
[ -f "$ric/dist/rapid-client.node" ] && exit 0
mkdir -p "$dir"
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --silent aws-lambda-ric@3.3.0
cd "$ric"
npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
export npm_config_nodedir
sh scripts/preinstall.sh
sh scripts/postinstall.sh
test -f dist/rapid-client.node
