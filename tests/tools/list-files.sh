#!/bin/sh
# List the files of DIR whose names end in SUFFIX, sorted (for meson.build).
# usage: list-files.sh DIR SUFFIX
for f in "$1"/*"$2"; do
    [ -e "$f" ] && echo "$f"
done | sort
