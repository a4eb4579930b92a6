#!/bin/sh
# `unum` on the image's PATH: the CLI in /app, whatever the working directory.
exec node /app/cli/bin/unum.js "$@"
