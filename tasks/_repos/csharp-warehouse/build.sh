#!/bin/sh
# Compiles the service with Mono's C# compiler into bin/Warehouse.exe.
set -eu
cd "$(dirname "$0")"
mkdir -p bin
mcs -langversion:7 -target:exe -optimize+ -nowarn:1591 \
    -out:bin/Warehouse.exe \
    -r:System.dll -r:System.Core.dll -r:System.Web.Extensions.dll \
    $(find src -name '*.cs' | sort)
