#!/usr/bin/env bash
# Updates translations/*.ts from the sources (run from anywhere; Qt's lupdate from qt6-l10n-tools).
# The training settings' texts (core/train/train_settings.cpp, MSUP_TR = QT_TRANSLATE_NOOP in a
# macro that lupdate does not expand) are kept: lupdate runs without -no-obsolete, then this script
# drops the vanished entries of every other context.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=/usr/lib/qt6/bin/lupdate
"$lupdate" -locations none -I . ui app/studio_main.cpp -ts translations/masksup_fr.ts
"$lupdate" -no-obsolete -locations none -pluralonly -I . ui app/studio_main.cpp -ts translations/masksup_en.ts
python3 - translations/masksup_fr.ts <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
def clean(context):
    if "<name>msup::TrainSetting</name>" in context:
        return context.replace(' type="vanished"', "")
    return re.sub(r'\s*<message>(?:(?!</message>).)*type="vanished"(?:(?!</message>).)*</message>', "", context, flags=re.S)
text = re.sub(r"<context>.*?</context>", lambda m: clean(m.group(0)), text, flags=re.S)
text = re.sub(r"<context>\s*<name>[^<]*</name>\s*</context>\s*", "", text)
open(path, "w", encoding="utf-8").write(text)
PY
echo "unfinished entries: $(grep -c 'type="unfinished"' translations/masksup_fr.ts || true)"
