from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture(scope="module")
def catalog():
    return polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))


def test_indonesian_catalog_is_complete(catalog):
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []


def test_compiled_catalog_matches_the_source(catalog):
    compiled = polib.mofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.mo"))
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in catalog.translated_entries()}
    built = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in compiled if e.msgid}
    assert built == source


def test_every_template_string_is_in_the_catalog(catalog, tmp_path):
    """makemessages run afresh finds no string that the committed catalog lacks."""
    import shutil
    import subprocess
    import sys

    root = LOCALE.parent
    work = tmp_path / "project"
    shutil.copytree(root, work, ignore=shutil.ignore_patterns(".venv", "var", "static", "staticfiles", ".git",
                                                              "tests", "bench", "node_modules", "__pycache__"))
    import os

    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.local"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location", "--ignore=.venv"],
        cwd=work, capture_output=True, text=True, timeout=120, env=environ,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(work / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    missing = {e.msgid for e in fresh} - {e.msgid for e in catalog}
    assert missing == set()
