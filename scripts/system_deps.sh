#!/usr/bin/env bash
# The system packages (Debian) the project needs, in one place: `make run`,
# `make test`, `make bench` and `.ci/run` call this script.
#
#   scripts/system_deps.sh run      what `make run` needs (no browser)
#   scripts/system_deps.sh test     everything, browser for the e2e tests included
#   ... --check                     only report what is missing (exit 1), install nothing
#
# Silent when nothing is missing. Otherwise installs the missing packages with
# apt-get as root or through passwordless sudo; failing both, it names them and
# exits 1 at once. SYSTEM_DEPS_ASSUME_NONROOT=1 behaves as a non-root user (tests).
#
# Every check uses shell builtins only (files, globs, `command -v`), so a test can
# simulate a missing package with a PATH that lacks its command.
set -euo pipefail

usage() {
	echo "usage: $0 [run|test] [--check]" >&2
	exit 2
}

mode=test
check_only=
for arg in "$@"; do
	case $arg in
		run | test) mode=$arg ;;
		--check) check_only=yes ;;
		*) usage ;;
	esac
done

# How each package is recognised as present.
has_chromium() { [[ -x /usr/bin/chromium ]]; } # tests/e2e drive /usr/bin/chromium
has_gettext() { command -v msgfmt >/dev/null 2>&1; }
has_postgresql() { # server binaries for the embedded database (percontohan/embedded_db.py)
	compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null ||
		[[ -x /usr/local/pgsql/bin/pg_ctl ]] || command -v pg_ctl >/dev/null 2>&1
}
has_lib() { compgen -G "/usr/lib/*/$1" >/dev/null || compgen -G "/usr/lib64/$1" >/dev/null || compgen -G "/usr/lib/$1" >/dev/null; }
has_pango() { has_lib 'libpango-1.0.so.0'; } # WeasyPrint (PDF summaries, certificates)
has_pangoft2() { has_lib 'libpangoft2-1.0.so.0'; }
has_dejavu() { [[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; } # text in PDFs and screenshots

missing_packages() {
	local need=()
	if [[ $mode == test ]] && ! has_chromium; then need+=(chromium); fi
	has_gettext || need+=(gettext)
	[[ -n ${DATABASE_URL:-} ]] || has_postgresql || need+=(postgresql)
	has_pango || need+=(libpango-1.0-0)
	has_pangoft2 || need+=(libpangoft2-1.0-0)
	has_dejavu || need+=(fonts-dejavu-core)
	echo "${need[*]}"
}

give_up() {
	echo "Missing system packages: $1 — install them with: sudo apt-get install $1" >&2
	exit 1
}

missing=$(missing_packages)
[[ -z $missing ]] && exit 0
[[ -n $check_only ]] && give_up "$missing"

if [[ $EUID -eq 0 && -z ${SYSTEM_DEPS_ASSUME_NONROOT:-} ]]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
	as_root=(sudo -n)
else
	give_up "$missing"
fi
command -v apt-get >/dev/null 2>&1 || give_up "$missing"

echo "Installing system packages: $missing"
read -ra packages <<<"$missing"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

missing=$(missing_packages)
[[ -z $missing ]] || give_up "$missing"
