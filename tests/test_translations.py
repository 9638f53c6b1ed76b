"""Every buyer-facing string is translated in every shop language, placeholders intact."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from i18n import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "i18n" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LANGUAGES = [locale for locale in SUPPORTED_LOCALES if locale != "en"]


@pytest.fixture(scope="module")
def buyer_messages() -> set[str]:
    """What the shop shows buyers, extracted from the source right now."""
    with open(ROOT / "i18n" / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "lazy_gettext": None,
        "_l": None,
        "N_": None,
    }
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    assert len(found) > 50  # the extraction itself works
    return found


def load_po(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_every_buyer_facing_string(language, buyer_messages):
    catalog = load_po(language)
    missing = []
    for msgid in sorted(buyer_messages):
        message = catalog.get(msgid)
        strings = message.string if message else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(s.strip() for s in strings):
            missing.append(msgid)
    assert not missing, f"{language}: untranslated: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    for message in load_po(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if text:
                assert set(PLACEHOLDER.findall(text)) <= wanted, (language, message.id, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language):
    source = {m.id: m.string for m in load_po(language) if m.id and not m.fuzzy}

    def frozen(value):  # read_mo gives plural ids and strings as lists
        return tuple(value) if isinstance(value, list) else value

    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {frozen(m.id): frozen(m.string) for m in read_mo(f) if m.id}
    assert compiled == source, f"run `make translations` to compile {language}"


def test_pages_speak_the_chosen_language(client, make_product, make_channel):
    make_channel("eu")
    slug = make_product(name="Band")
    german = client.get(f"/p/{slug}?locale=de").get_data(as_text=True)
    assert 'lang="de"' in german and "In den Warenkorb" in german
    arabic = client.get("/cart", headers={"Accept-Language": "ar-KW,ar;q=0.9"})
    assert 'dir="rtl"' in arabic.get_data(as_text=True)
    chinese = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in chinese


def test_a_page_and_a_mail_made_in_its_request_each_speak_their_own_language(app):
    """Templates look the catalog up once per request and language (i18n.template_gettext):
    a mail in the buyer's language made during a page in another keeps each in its own."""
    from flask_babel import force_locale

    from storefront.mount import state

    with app.test_request_context("/?locale=de"):
        template = state().jinja_env.from_string('{{ _("Search") }} · {{ _("Cart") }}')
        assert template.render() == "Suchen · Warenkorb"
        with force_locale("fr"):
            assert template.render() == "Rechercher · Panier"
        with force_locale("ja"):
            assert template.render() == "検索 · カート"
        assert template.render() == "Suchen · Warenkorb"
