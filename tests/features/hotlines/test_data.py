"""The shipped directory against the checked reference in ../shared/reference.

These tests are the safety net for the numbers people will dial: each one
compares what we ship with what the reference recorded from public sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
import pytest
import yaml
from phonenumbers import shortnumberinfo

from bot.features.hotlines.directory import Hotline, HotlineDirectory
from bot.features.hotlines.loader import DATA_PATH, DataError, load_directory, parse_directory
from bot.features.hotlines.topics import TOPICS

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference" / "hotlines.yaml"
# Issue 14: more countries and missing core lines. An entry whose id repeats one
# in hotlines.yaml is a proposed replacement of it (its `changes` says so).
EXPANSION = SHARED / "reference" / "hotlines-expansion.yaml"
CORRECTIONS = SHARED / "reference" / "corrections.md"
DOC = REPO / "docs" / "hotlines.md"

TWO_PLUS = "2+ independent sources agree"
ONE_SOURCE = "1 source"
CONFLICTING = "conflicting"
UNVERIFIED = "unverified"

# Digits the reference records as disputed. None of them may ship anywhere
# in the data file, not even in a note.
DISPUTED_DIGITS: dict[str, tuple[str, ...]] = {
    # Rape Crisis E&W: 0808 500 2222 vs 0800 500 2222, no official page.
    "gb-ew-rape-crisis-247": ("08085002222", "08005002222"),
    # MIELI English line: two different numbers.
    "fi-mieli": ("0925250113", "0925250116"),
    # NCW WhatsApp: lockdown-only, marked do-not-show.
    "in-ncw-whatsapp": ("7217735372",),
    # Telefono Amico WhatsApp: two different numbers.
    "it-telefono-amico": ("3450361628", "3240117252"),
    # Romania TelVerde Antisuicid: digits only in an unreliable directory and lists.
    "ro-arps-telverde": ("0800801200",),
    # Pakistan Umang: owner and hours disputed.
    "pk-umang": ("03117786264",),
    # Bangladesh Kaan Pete Roi: six different numbers in hotline lists.
    "bd-kaan-pete-roi": (
        "09612119911", "01779554391", "09678676777", "880250865486", "09638881888",
        "09613427800",
    ),
}

# Short codes libphonenumber 9.0.43 does not know, each marked in the data
# with a source. The issue names DE 116 016, IN 14416 and KR 109.
EXPECTED_MARKED: frozenset[tuple[str, str]] = frozenset(
    {
        ("DE", "116 016"),
        ("IN", "14416"),
        ("IN", "14490"),
        ("KR", "109"),
        ("NL", "113"),
        ("NO", "116 006"),
        ("BR", "188"),
        ("MX", "*765"),
        ("AR", "135"),
        ("CL", "1455"),
        ("CL", "*4141"),
        ("CO", "155"),
        ("PH", "1553"),
        ("PH", "1383"),
        ("JP", "#8891"),
        ("ZA", "116"),
        ("NG", "112"),
        # Issue 14 (hotlines-expansion.yaml).
        ("PT", "1411"),
        ("GR", "15900"),
        ("GR", "1018"),
        ("GR", "1056"),
        ("IL", "118"),
        ("ID", "129"),
        ("TH", "1300"),
        ("VN", "111"),
        ("TW", "1925"),
        ("HK", "18111"),
        ("PK", "1099"),
        ("PK", "1098"),
        ("EG", "15115"),
        ("PE", "106"),
        ("PE", "100"),
        ("PE", "113"),
        ("RU", "124"),
        ("RU", "051"),
        ("UA", "7333"),
        ("EE", "116 006"),
        ("EE", "116 123"),
        ("LV", "116006"),
        ("LV", "116123"),
    }
)

# "1 source" reference entries that may ship: the one source is the
# organisation's own site or a government page, or we found a government
# page as a further source (JP and CO emergency numbers).
ALLOWED_ONE_SOURCE = frozenset(
    {
        "dk-lev-uden-vold",
        "ng-mirabel",
        "jp-emergency",
        "intl-child-helpline-international",
        "corrections-2026-11-30-hotlines-2",  # Welsh Government (official)
        # hotlines-expansion.yaml: "Official source" in confidence_detail.
        "pl-feminoteka",
        "dk-cso-rigshospitalet",
        "cl-fundacion-para-la-confianza",
        "hk-rainlily",
        "bg-animus",
        "ru-moscow-051",
    }
)

# "1 source" entries of hotlines-expansion.yaml whose one source is not the
# organisation's own or a government page: none ships (docs/hotlines.md).
EXPANSION_HELD_BACK_ONE_SOURCE = frozenset(
    {
        "pl-centrum-wsparcia",
        "my-befrienders-kl",
        "ke-police-sgbv",
        "pt-amcv",
        "pt-quebrar-o-silencio",
        "pt-eir-umar",
        "pt-ilga-linha-lgbt",
        "ch-opferhilfe-zuerich",
        "cz-rosa-116016",
        "cz-profem",
        "tr-ibb-kadina-destek",
        "ro-deprehub",
        "hr-zivotna-linija",
        "vn-anh-duong-thanh-hoa",
        "hk-samaritans",
        "hk-samaritan-befrienders",
        "hk-sps",
        "ru-women-8800",
        "cn-emergency",
        "ve-0800-mujer",
        "ve-avesa",
        "lu-helpline-violence",
        "rs-laza-lazarevic-sos",
        "rs-centar-srce",
    }
)

# Parts of shipped expansion entries that rest on one non-official source, a
# disputed status, or cannot pass the loader: the digits never ship for that
# country. (entry, digits, why) - the same list is in docs/hotlines.md.
HELD_BACK_PARTS: tuple[tuple[str, str, str], ...] = (
    ("pl-emergency", "997", "police: one news page"),
    ("cl-emergency", "131", "ambulance: one news page"),
    ("cl-emergency", "132", "fire: one news page"),
    ("ke-emergency", "112", "one police statement"),
    ("ke-emergency", "911", "one police statement"),
    ("sk-emergency", "158", "police: one page"),
    ("il-emergency", "0527000101", "SMS for deaf callers: one page"),
    ("pt-cig-violencia-domestica", "3060", "SMS: not a short code libphonenumber knows"),
    ("th-1300", "66991301300", "number for calls from abroad: one copied article"),
    ("pk-mohr-1099", "03339085709", "WhatsApp: one 2020 article"),
    ("ch-142-opferhilfe-national", "142", "planned national number, not confirmed live"),
)



# The review of 2026-11-30 (corrections.md, "Hotlines" items by number): the
# entries an item added or changed, and the country of an added entry.
CORRECTED: dict[str, int] = {"gb-wls-live-fear-free": 2, "jp-8891": 5}
CORRECTION_ENTRIES: dict[str, str] = {"corrections-2026-11-30-hotlines-2": "GB"}
# Digits that corrections.md asked for and the maintainers checked themselves,
# beyond the reference files: each is cited by its entry (test_correction_6_...).
CHECKED_BEYOND_REFERENCE: frozenset[tuple[str, str]] = frozenset({("za-emergency", "10177")})


def correction_items() -> dict[int, str]:
    """The numbered items of corrections.md's "Hotlines" section, by number."""
    section = CORRECTIONS.read_text(encoding="utf-8").split("## Hotlines", 1)[1]
    section = section.split("\n## ", 1)[0]
    items = re.split(r"^(\d+)\. ", section, flags=re.MULTILINE)
    return {int(items[i]): items[i + 1] for i in range(1, len(items) - 1, 2)}


def _entries(path: Path) -> dict[str, dict]:
    if not path.exists():
        pytest.fail(f"reference file missing: {path} (tests need ../shared next to the repo)")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["entries"]}


@pytest.fixture(scope="module")
def original() -> dict[str, dict]:
    return _entries(REFERENCE)


@pytest.fixture(scope="module")
def expansion() -> dict[str, dict]:
    return _entries(EXPANSION)


@pytest.fixture(scope="module")
def reference(original: dict[str, dict], expansion: dict[str, dict]) -> dict[str, dict]:
    """Both reference files; an expansion entry replaces the original entry of
    the same id."""
    entries = {**original, **expansion}
    items = correction_items()
    for entry_id, country in CORRECTION_ENTRIES.items():
        number = int(entry_id.rsplit("-", 1)[1])
        # "(official source)": ships on one official source, like "1 source" entries.
        entries[entry_id] = {"id": entry_id, "country": country, "notes": items[number],
                             "confidence": ONE_SOURCE}
    return entries


@pytest.fixture(scope="module")
def directory() -> HotlineDirectory:
    return load_directory(today=dt.date.today())


def _digits(number: str) -> str:
    """A shipped number as its dialled digits, keeping a leading * or #."""
    prefix = number[0] if number[:1] in ("*", "#") else ""
    return prefix + re.sub(r"\D", "", number)


def _reference_tokens(text: str) -> set[str]:
    """Every phone-number-like token in a reference field.

    Separators between digits ("0808 802 1414", "1-800-799-7233",
    "(877) 565-8860") are removed so that a grouped number becomes one token;
    anything else (words, semicolons, brackets after a number) ends a token,
    so "110 (police), 112" stays two numbers.
    """
    text = re.sub(r"\((\d+)\)\s*", r"\1", text)
    text = re.sub(r"(?<=\d)[ .\-/]+(?=\d)", "", text)
    return set(re.findall(r"[*#]?\d+", text))


def _numbers(entry: Hotline) -> Iterator[tuple[str, str]]:
    for phone in entry.phones:
        yield "phone", phone.number
    for text in entry.texts:
        yield "text", text.number


def test_the_whole_file_validates(directory: HotlineDirectory) -> None:
    assert len(directory.hotlines) > 100
    assert {d.id for d in directory.directories} >= {"intl-findahelpline"}


def test_every_shipped_country_is_in_the_reference(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    reference_countries = {e["country"] for e in reference.values()} - {"INTL", "EU"}
    # Venezuela and Serbia have only single-source, non-official entries.
    held_back = {
        country
        for country in reference_countries
        if all(
            e["id"] in EXPANSION_HELD_BACK_ONE_SOURCE
            for e in reference.values()
            if e["country"] == country
        )
    }
    assert held_back == {"VE", "RS"}
    assert set(directory.by_country) == reference_countries - held_back


def test_every_entry_comes_from_a_reference_entry_of_its_country(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    for entry in directory.hotlines:
        assert entry.reference_id in reference, entry.id
        assert reference[entry.reference_id]["country"] == entry.country, entry.id


def _international_digits(number: str, country: str) -> str:
    """A number's full international digits ("9 62272718" in CL -> 56962272718),
    or "" for a short code, which has no international form."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number_for_region(parsed, country):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)[1:]


def test_every_shipped_digit_string_matches_its_reference_entry(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    mismatches = []
    for entry in directory.hotlines:
        ref = reference[entry.reference_id]
        fields = [ref.get(k) or "" for k in ("phone", "sms", "service", "notes", "changes")]
        if entry.id in CORRECTED:
            fields.append(correction_items()[CORRECTED[entry.id]])
        tokens = set().union(*(_reference_tokens(str(f)) for f in fields))
        # A number the reference gives in international form ("+56 9 62272718")
        # matches the same number as dialled at home, and nothing else.
        international = _reference_tokens(str(ref.get("phone_e164") or "")) | tokens
        for kind, number in _numbers(entry):
            if (entry.id, number) in CHECKED_BEYOND_REFERENCE:
                continue
            if _digits(number).lstrip("+") in tokens:
                continue
            if _international_digits(number, entry.country) in international - {""}:
                continue
            mismatches.append(f"{entry.id} {kind} {number!r}")
    assert mismatches == []


def test_digit_matcher_rejects_a_one_digit_slip() -> None:
    # The reference warns that pages print 0800 for 0808; the matcher must
    # treat that as a different number, or the test above proves nothing.
    tokens = _reference_tokens("0808 802 1414")
    assert _digits("0808 802 1414") in tokens
    assert _digits("0800 802 1414") not in tokens
    assert _digits("802 1414") not in tokens
    assert _reference_tokens("110 (police), 112 (fire)") == {"110", "112"}
    # The international match is as strict: a one-digit slip is another number.
    assert _international_digits("9 62272718", "CL") == "56962272718"
    assert _international_digits("9 62272719", "CL") != "56962272718"
    assert _international_digits("116 123", "PL") == ""


def test_topics_use_the_bot_vocabulary(directory: HotlineDirectory) -> None:
    for entry in directory.hotlines:
        assert set(entry.topics) <= set(TOPICS), entry.id


def test_no_unverified_reference_entry_ships(
    directory: HotlineDirectory,
    original: dict[str, dict],
    expansion: dict[str, dict],
    reference: dict[str, dict],
) -> None:
    # The two placeholders of hotlines.yaml are replaced by checked entries in
    # the expansion (Chile 133, Kenya 999); nothing unverified remains or ships.
    placeholders = {k for k, v in original.items() if v["confidence"] == UNVERIFIED}
    assert placeholders == {"cl-emergency", "ke-emergency"}
    for entry_id in placeholders:
        assert expansion[entry_id]["confidence"] == TWO_PLUS, entry_id
        assert "PROPOSED REPLACEMENT" in expansion[entry_id]["changes"], entry_id
    assert {k for k, v in reference.items() if v["confidence"] == UNVERIFIED} == set()
    assert {p.number for e in directory.by_country["CL"] if e.is_emergency for p in e.phones} == {
        "133"
    }
    assert {p.number for e in directory.by_country["KE"] if e.is_emergency for p in e.phones} == {
        "999"
    }


def test_single_source_entries_ship_only_when_allowed_and_say_so(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    one_source = [
        e
        for e in [*directory.hotlines, *directory.directories]
        if reference[e.reference_id]["confidence"] == ONE_SOURCE
    ]
    assert {e.reference_id for e in one_source} <= ALLOWED_ONE_SOURCE
    for entry in one_source:
        assert entry.source_note, f"{entry.id} ships on one source and must say which"


def test_single_source_entries_left_out(
    directory: HotlineDirectory, expansion: dict[str, dict]
) -> None:
    shipped = {e.reference_id for e in directory.hotlines}
    for left_out in (
        "us-crisis-text-line-discord",
        "no-sexual-abuse-line",
        "fi-naisten-linja",
        "mx-linea-mujeres-079",
        "jp-yorisoi",
        "kr-1388",
        "sg-mindline-1771",
        "za-rape-crisis-ct",
        "za-triangle",
        "ke-116",
        "in-ncw-whatsapp",
        *EXPANSION_HELD_BACK_ONE_SOURCE,
    ):
        assert left_out not in shipped
    # The list is every single-source expansion entry that ships on no
    # official source, and nothing else.
    one_source = {k for k, v in expansion.items() if v["confidence"] == ONE_SOURCE}
    assert one_source - ALLOWED_ONE_SOURCE == EXPANSION_HELD_BACK_ONE_SOURCE
    for entry_id in one_source & ALLOWED_ONE_SOURCE:
        assert expansion[entry_id]["confidence_detail"].startswith("Official"), entry_id


def test_conflicting_entries_ship_no_disputed_digits(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    conflicting = {k for k, v in reference.items() if v["confidence"] == CONFLICTING}
    assert set(DISPUTED_DIGITS) - {"it-telefono-amico"} <= conflicting
    shipped_numbers = {_digits(n) for e in directory.hotlines for _, n in _numbers(e)}
    file_tokens = _reference_tokens(DATA_PATH.read_text(encoding="utf-8"))
    for entry_id, digits in DISPUTED_DIGITS.items():
        for disputed in digits:
            assert disputed not in shipped_numbers, (entry_id, disputed)
            assert disputed not in file_tokens, (entry_id, disputed)
    # England & Wales Rape Crisis and Kaan Pete Roi ship as a website only.
    for entry_id in ("gb-ew-rape-crisis-247", "bd-kaan-pete-roi"):
        (website_only,) = [e for e in directory.hotlines if e.id == entry_id]
        assert website_only.phones == () and website_only.texts == ()
        assert website_only.website.startswith("https://")
    # Conflicting entries with nothing checked to show do not ship at all.
    shipped = {e.reference_id for e in directory.hotlines}
    assert shipped.isdisjoint({"ch-142-opferhilfe-national", "ro-arps-telverde", "pk-umang"})


def test_held_back_parts_of_expansion_entries_never_ship(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    doc = DOC.read_text(encoding="utf-8")
    for entry_id, digits, why in HELD_BACK_PARTS:
        country = reference[entry_id]["country"]
        ref = reference[entry_id]
        recorded = " ".join(str(ref.get(k) or "") for k in ("phone", "sms", "service", "notes"))
        # A real part of the reference entry ("(2020)" after a number joins it).
        assert any(digits in token for token in _reference_tokens(recorded)), (entry_id, digits)
        assert digits not in _all_numbers(directory, country), (entry_id, digits, why)
        assert entry_id in doc, entry_id


def test_conflicting_entries_say_how_they_were_handled(
    directory: HotlineDirectory, reference: dict[str, dict]
) -> None:
    for entry in directory.hotlines:
        if reference[entry.reference_id]["confidence"] != CONFLICTING:
            continue
        assert entry.resolution, entry.id
        if entry.resolution.startswith("Resolved"):
            assert entry.sources, f"{entry.id}: a resolution must cite https sources"
        else:
            # Unresolved: no disputed hours either.
            assert entry.hours.casefold().startswith(("see website", "not confirmed")) or (
                "see website" in entry.hours.casefold()
            ) or entry.id in {
                "gb-ew-rape-crisis-247",  # only the digits were disputed
            }, entry.id


def test_short_codes_are_valid_short_numbers_unless_marked(directory: HotlineDirectory) -> None:
    marked = set()
    for entry in directory.hotlines:
        for phone in entry.phones:
            if phone.unknown_to_libphonenumber:
                marked.add((entry.country, phone.number))
                assert phone.short and phone.marker_source, entry.id
                continue
            parsed = phonenumbers.parse(phone.number, entry.country)
            if phone.short:
                assert shortnumberinfo.is_valid_short_number_for_region(parsed, entry.country), (
                    entry.id,
                    phone.number,
                )
            else:
                assert phonenumbers.is_valid_number_for_region(parsed, entry.country), (
                    entry.id,
                    phone.number,
                )
        for text in entry.texts:
            parsed = phonenumbers.parse(text.number, entry.country)
            valid = (
                shortnumberinfo.is_valid_short_number_for_region(parsed, entry.country)
                if text.short
                else phonenumbers.is_valid_number_for_region(parsed, entry.country)
            )
            assert valid, (entry.id, text.number)
    assert marked == EXPECTED_MARKED


def test_marked_short_codes_really_are_unknown_to_libphonenumber(
    directory: HotlineDirectory,
) -> None:
    # If a library upgrade learns a code, the marker must go: a stale marker
    # would exempt a number from checking for no reason.
    for entry in directory.hotlines:
        for phone in entry.phones:
            if phone.unknown_to_libphonenumber and phone.number[0] not in "*#":
                parsed = phonenumbers.parse(phone.number, entry.country)
                assert not shortnumberinfo.is_valid_short_number_for_region(
                    parsed, entry.country
                ), (entry.id, phone.number)


def test_call_numbers_are_kept_as_dialled_locally() -> None:
    lines = [
        line
        for line in DATA_PATH.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    ]
    assert not any("tel:" in line for line in lines)
    for line in lines:
        if line.startswith("number = "):
            # International forms only for WhatsApp/SMS lines the reference
            # gives that way; calls are always as dialled in the country.
            assert '"+' not in line or line == 'number = "+6018 988 8058"', line


def test_every_url_is_https(directory: HotlineDirectory) -> None:
    for entry in directory.hotlines:
        for url in (*entry.sources, entry.website, entry.chat_url):
            assert not url or url.startswith("https://"), (entry.id, url)


def test_every_country_with_data_has_an_emergency_number_except_documented_gaps(
    directory: HotlineDirectory,
) -> None:
    without = {
        code
        for code, entries in directory.by_country.items()
        if not any(e.is_emergency for e in entries)
    }
    # China: one indirect mention of its emergency numbers (1 source, held back).
    assert without == {"CN"}


def test_spain_016_carries_the_call_history_warning(directory: HotlineDirectory) -> None:
    (es_016,) = [e for e in directory.hotlines if e.id == "es-016"]
    assert any("call history" in note for note in es_016.safety_notes)
    assert "not appear on the phone bill" in es_016.cost


def test_the_note_lists_every_shipped_country(directory: HotlineDirectory) -> None:
    doc = DOC.read_text(encoding="utf-8")
    for code in directory.by_country:
        assert f"| {code} |" in doc, code


# ---------------------------------------------------------------------------
# The review of 2026-11-30 (../shared/reference/corrections.md), item by item
# ---------------------------------------------------------------------------


def _entry(directory: HotlineDirectory, entry_id: str) -> Hotline:
    (found,) = [e for e in directory.hotlines if e.id == entry_id]
    return found


def _all_numbers(directory: HotlineDirectory, country: str) -> set[str]:
    return {_digits(n) for e in directory.by_country[country] for _, n in _numbers(e)}


def test_correction_1_south_africa_gbv_command_centre_has_no_sms(
    directory: HotlineDirectory,
) -> None:
    gbv = _entry(directory, "za-gbv-command-centre")
    assert gbv.texts == ()
    assert [p.number for p in gbv.phones] == ["0800 428 428"]
    assert "31531" not in _all_numbers(directory, "ZA")
    assert "31531" not in _reference_tokens(DATA_PATH.read_text(encoding="utf-8"))
    assert any("SMS" in n and "October 2022" in n for n in gbv.notes)
    assert any("dailymaverick.co.za" in u for u in gbv.sources)


def test_correction_2_wales_has_live_fear_free(directory: HotlineDirectory) -> None:
    wales = _entry(directory, "gb-wls-live-fear-free")
    assert (wales.country, wales.region) == ("GB", "Wales")
    assert {"domestic-violence", "sexual-assault"} <= set(wales.topics)
    assert [p.number for p in wales.phones] == ["0808 80 10 800"]
    assert [t.number for t in wales.texts] == ["07860 077333"]
    assert wales.hours == "24/7"
    official = ("https://www.gov.wales/", "https://gov.wales/")
    assert all(u.startswith(official) for u in wales.sources)
    assert wales.source_note.startswith("Official source")
    refuge = _entry(directory, "gb-ew-refuge-ndah")
    assert refuge.region == "England"  # Refuge's line is not for Wales


def test_correction_3_rape_crisis_first_for_england_and_wales(directory: HotlineDirectory) -> None:
    result = directory.lookup("GB", "sexual-assault")
    first = result.lines[0]
    assert first.id == "gb-ew-rape-crisis-247" and first.region == "England & Wales"
    assert first.phones == () and first.hours == "24/7: call or chat online"
    assert first.website == "https://247sexualabusesupport.org.uk"
    assert any("116 123" in n and "Samaritans" in n for n in first.notes)
    assert {p.number for e in result.emergency for p in e.phones} == {"999", "112"}


def test_correction_4_argentina_provinces_without_911(directory: HotlineDirectory) -> None:
    emergency = _entry(directory, "ar-emergency")
    assert [p.number for p in emergency.phones] == ["911"]
    (note,) = emergency.notes
    assert "101" in note and "police" in note and "107" in note and "ambulance" in note
    assert any("lanacion.com.ar" in u for u in emergency.sources)


def test_correction_5_japan_8891_from_ip_phones_and_free(directory: HotlineDirectory) -> None:
    line = _entry(directory, "jp-8891")
    assert [p.number for p in line.phones] == ["#8891", "0120 8891 77"]
    assert "NTT Hikari Denwa" in line.phones[1].label
    assert line.cost == "Free"
    assert any("pref.okinawa.jp" in u for u in line.sources)


def test_correction_6_missing_emergency_numbers_ship_with_their_sources(
    directory: HotlineDirectory,
) -> None:
    # South Africa: police, ambulance and 112 from mobiles; Brazil: police and
    # SAMU. Each added number cites the pages the maintainers checked it on.
    za = _entry(directory, "za-emergency")
    br = _entry(directory, "br-emergency")
    assert [p.number for p in za.phones] == ["10111", "10177", "112"]
    assert [p.number for p in br.phones] == ["190", "192"]
    assert any("mybroadband.co.za" in u for u in za.sources)
    assert any("gauteng.news" in u for u in za.sources)
    assert any("al.gov.br" in u for u in br.sources)
    doc = DOC.read_text(encoding="utf-8")
    assert "10177" in doc and "192" in doc


def test_correction_7_lagos_dsvrt_mobile_numbers_held_back(directory: HotlineDirectory) -> None:
    dsvrt = _entry(directory, "ng-lagos-dsvrt")
    assert [p.number for p in dsvrt.phones] == ["112"]
    assert dsvrt.website == "https://dsvrtlagos.org"
    shipped = _all_numbers(directory, "NG")
    assert shipped.isdisjoint({"08137960048", "09062887844", "*6820"})
    file_tokens = _reference_tokens(DATA_PATH.read_text(encoding="utf-8"))
    assert file_tokens.isdisjoint({"08137960048", "09062887844"})
    assert "mobile" not in dsvrt.cost


def test_correction_8_smaller_notes(directory: HotlineDirectory) -> None:
    norway = _entry(directory, "no-vold-og-overgrepslinjen")
    assert any("18 or over" in n for n in norway.notes)
    assert any("ldo.no" in u for u in norway.sources)
    korea = _entry(directory, "kr-1366")
    assert any(n.startswith("Dial 1366, or the area code and then 1366") for n in korea.notes)
    # Ligue 180's WhatsApp (61) 9610-0180 has 8 digits after the area code, not
    # a valid Brazilian mobile number: it cannot pass the loader, so it waits.
    assert _entry(directory, "br-ligue-180").texts == ()
    number = phonenumbers.parse("(61) 9610-0180", "BR")
    assert not phonenumbers.is_valid_number_for_region(number, "BR")


def test_every_number_is_written_one_way(directory: HotlineDirectory) -> None:
    for entry in directory.hotlines:
        for _, number in _numbers(entry):
            assert re.fullmatch(r"(\+|[*#])?\d+( \d+)*", number), (entry.id, number)
    with pytest.raises(DataError, match="single spaces"):
        parse_directory(
            DATA_PATH.read_text(encoding="utf-8").replace('"0808 802 1414"', '"0808-802-1414"')
        )
