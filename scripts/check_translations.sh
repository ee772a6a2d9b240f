#!/usr/bin/env bash
# Check that the English catalog is complete and compiles.
#
#   1. makemessages: extract every msgid into locale/en/LC_MESSAGES/django.po
#   2. fail, listing them, if any entry is untranslated or fuzzy
#   3. compilemessages: build django.mo (fails on bad %(name)s placeholders)
#
# Run from the project root (needs gettext: xgettext, msgmerge, msgattrib, msgfmt).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
PO=locale/en/LC_MESSAGES/django.po
MO=locale/en/LC_MESSAGES/django.mo

for tool in xgettext msgmerge msgattrib msgfmt; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "check_translations: '$tool' not found; install gettext (e.g. apt-get install gettext)." >&2
		exit 2
	}
done
[[ -x $PY ]] || { echo "check_translations: $PY not found; run 'make install' first." >&2; exit 2; }

DEBUG=true "$PY" manage.py makemessages -l en --no-location \
	--ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks >/dev/null
[[ -f $PO ]] || { echo "check_translations: $PO was not created." >&2; exit 1; }

# Print the entries msgattrib selects (without the header entry), or nothing.
entries() {
	msgattrib "$@" --no-obsolete --no-wrap "$PO" | awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^(#[^\n]*\n)*msgid ""\nmsgstr ""/'
}

status=0
untranslated=$(entries --untranslated)
# msgattrib counts a plural entry as translated when msgstr[0] is filled; catch an empty msgstr[1] too.
partial=$(msgattrib --translated --no-obsolete --no-wrap "$PO" |
	awk 'BEGIN { RS = ""; ORS = "\n\n" } /msgid_plural/ && /\nmsgstr\[[0-9]+\] ""(\n|$)/')
fuzzy=$(entries --only-fuzzy)
if [[ -n $untranslated || -n $partial ]]; then
	echo "Untranslated entries in $PO:" >&2
	printf '%s\n' "$untranslated" "$partial" | sed '/^$/N;/^\n$/D' >&2
	status=1
fi
if [[ -n $fuzzy ]]; then
	echo "Fuzzy entries in $PO (check the translation, then remove the '#, fuzzy' line):" >&2
	printf '%s\n' "$fuzzy" >&2
	status=1
fi
if ((status)); then
	echo "check_translations: translate the entries above in $PO, then run this script again." >&2
	exit "$status"
fi

DEBUG=true "$PY" manage.py compilemessages --ignore=.venv >/dev/null
[[ -s $MO && ! $MO -ot $PO ]] || { echo "check_translations: $MO was not compiled." >&2; exit 1; }

echo "Translations OK: $(msgfmt --statistics -o /dev/null "$PO" 2>&1)"
