#!/bin/sh
# Compiles the service with Mono's C# compiler into bin/Helpdesk.exe.
set -eu
cd "$(dirname "$0")"
mkdir -p bin
mcs -langversion:7 -target:exe -optimize+ -nowarn:1591 \
    -out:bin/Helpdesk.exe \
    -r:System.dll -r:System.Core.dll -r:System.Data.dll \
    -r:System.Web.Extensions.dll -r:Mono.Data.Sqlite.dll \
    $(find src -name '*.cs' | sort)
