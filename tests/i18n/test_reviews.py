"""The review manifest: a sensitive text is shown translated only with a valid
record; a changed English (or translation) voids it and the English is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.features.hotlines import text as hotline_text
from bot.features.metoo import text as metoo_text
from bot.i18n.catalogs import LOCALES, load, read_template
from bot.i18n.languages import SHIPPED
from bot.i18n.reviews import MANIFEST, METHODS, ManifestError, load_reviews, sha256


def copy_catalogs(tmp_path: Path) -> Path:
    directory = tmp_path / "locales"
    shutil.copytree(LOCALES, directory)
    return directory


def test_every_sensitive_translation_has_a_checked_record() -> None:
    """Each record says how it was checked (a back-translation at least, kept in
    the record), by whom and when; none claims a person's review, since none
    happened yet."""
    template = read_template()
    reviews = list(load_reviews())
    assert reviews
    for review in reviews:
        assert review.method in METHODS and review.back_translation.strip()
        assert review.comparison.strip() and review.checker.strip()
        assert review.person_reviewed is False
    covered = {(r.locale, r.source_sha256) for r in reviews}
    for locale in SHIPPED:
        if locale == "es-419":
            continue  # reads es-ES's records, except for its own few texts
        missing = [s for s in template.sensitive if (locale, sha256(s)) not in covered]
        assert missing == [], (locale, missing[:3])
    for coverage in load("checked").coverage:
        assert coverage.sensitive_shown == coverage.sensitive_checked == coverage.sensitive_total


def test_a_changed_english_voids_the_record_and_that_text_falls_back(tmp_path: Path) -> None:
    """Editing the English of a sensitive text (here the consent) without
    renewing its records: every language shows that text in English, and only
    that text; `check` reports the voided records."""
    directory = copy_catalogs(tmp_path)
    changed = metoo_text.CONSENT.replace("You never have to", "You never need to")
    for path in [directory / "metoo.pot", *directory.glob("*/LC_MESSAGES/metoo.po")]:
        text = path.read_text(encoding="utf-8")
        old = 'have to tell anyone anything.'
        assert "You never have to" in text and old in text
        path.write_text(text.replace("You never have to", "You never need to"), encoding="utf-8")
    loaded = load("checked", directory=directory, manifest=MANIFEST)
    for locale in SHIPPED:
        tr = loaded.translator.for_locale(locale)
        assert tr(changed, version=1, days=365) == changed.format(version=1, days=365)
        assert tr(metoo_text.CONFIRM_LABEL) != metoo_text.CONFIRM_LABEL  # still checked
        assert tr(hotline_text.CRISIS_INTRO) != hotline_text.CRISIS_INTRO
    for coverage in loaded.coverage:
        assert changed in coverage.voided
        assert coverage.sensitive_shown == coverage.sensitive_total - 1


def test_a_changed_translation_voids_the_record_too(tmp_path: Path) -> None:
    directory = copy_catalogs(tmp_path)
    po = directory / "de" / "LC_MESSAGES" / "metoo.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        '"Mich zählen: me too"', '"Zähl mich: me too"'), encoding="utf-8")
    tr = load("checked", directory=directory).translator.for_locale("de")
    assert tr(metoo_text.CONFIRM_LABEL) == metoo_text.CONFIRM_LABEL
    assert tr(metoo_text.CANCEL_LABEL) == "Jetzt nicht"


def test_translations_reviewed_shows_only_what_a_person_reviewed(tmp_path: Path) -> None:
    """No record says a person reviewed it yet: with TRANSLATIONS=reviewed every
    sensitive text is English and every other text stays translated; a record
    marked as reviewed by a person is shown."""
    tr = load("reviewed").translator.for_locale("fr")
    assert tr(metoo_text.CONSENT_TITLE) == metoo_text.CONSENT_TITLE
    assert tr(hotline_text.DANGER_HEADING) == hotline_text.DANGER_HEADING
    assert tr(metoo_text.COUNT_TITLE) != metoo_text.COUNT_TITLE
    manifest = tmp_path / "reviews.toml"
    text = MANIFEST.read_text(encoding="utf-8")
    about = 'about = "Saying \\"me too\\" here"'
    start = text.index(about, text.index('locale = "fr"'))
    end = text.index("person_reviewed = false", start)
    manifest.write_text(text[:end] + "person_reviewed = true" +
                        text[end + len("person_reviewed = false"):], encoding="utf-8")
    tr = load("reviewed", manifest=manifest).translator.for_locale("fr")
    assert tr(metoo_text.CONSENT_TITLE) == "Dire « me too » ici"
    assert tr(hotline_text.DANGER_HEADING) == hotline_text.DANGER_HEADING


def test_a_malformed_manifest_is_refused_with_where(tmp_path: Path) -> None:
    manifest = tmp_path / "reviews.toml"
    manifest.write_text('[[review]]\nlocale = "de"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="review 1"):
        load_reviews(manifest)
    manifest.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ManifestError, match="cannot be read"):
        load_reviews(manifest)
