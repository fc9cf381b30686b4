#!/bin/sh
# Regenerates configure and Makefile.in (what `autoreconf -fi` does).
set -e
cd "$(dirname "$0")"
autoreconf -fi
