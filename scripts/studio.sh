#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and open MaskSup Studio. On first start the app
# generates its built-in sample dataset (procedural glands) and opens it. Arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/masksup-studio "$@"
