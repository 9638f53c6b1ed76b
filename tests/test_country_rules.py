"""Country rules as data: the shipped files, lookups by date, and refusal of malformed files."""

from __future__ import annotations

import datetime
import json
import shutil
from decimal import Decimal

import pytest

from channels.country_rules import RULES_DIR, RuleFileError, load_rules
from channels.fx import RateSet
from channels.landed_cost import Consignment, GoodsLine, landed_cost
from channels.money import Money
from markdown_links import REPO, broken

DAY = datetime.date(2026, 5, 1)


@pytest.fixture
def rules_dir(tmp_path):
    """A copy of the shipped rules to edit."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


@pytest.fixture
def edit(rules_dir):
    """edit(file, change) applies `change(rules_list)` to one file of the copy."""

    def apply(name: str, change) -> None:
        path = rules_dir / name
        document = json.loads(path.read_text())
        change(document["rules"])
        path.write_text(json.dumps(document))

    return apply


def by_id(rules: list, rule_id: str) -> dict:
    return next(rule for rule in rules if rule["id"] == rule_id)


# the shipped rules ---------------------------------------------------------------


def test_every_shipped_rule_has_a_source_and_dates():
    raw = [json.loads(path.read_text())["rules"] for path in RULES_DIR.glob("*.json")]
    assert len(raw) == 8
    for rules in raw:
        for rule in rules:
            assert rule["source"]
            assert "valid_from" in rule and "valid_to" in rule


def test_every_shipped_source_is_a_url_or_a_file_in_the_repo():
    """A source a person who clones the repo can follow: a web page, or a file (and
    section) of this repo such as docs/country-rules.md#duties."""
    faults = [
        f"{path.name}: {rule['id']}: {rule['source']}: {why}"
        for path in sorted(RULES_DIR.glob("*.json"))
        for rule in json.loads(path.read_text())["rules"]
        if (why := broken(rule["source"], REPO))
    ]
    assert faults == []


@pytest.mark.parametrize(
    ("source", "fault"),
    [
        ("https://example.org/vat-rates", None),
        ("docs/country-rules.md#duties", None),
        ("docs/country-rules.md", None),
        ("reference/country-rules.md#duties", "no file reference/country-rules.md"),
        ("docs/country-rules.md#no-such-section", "no section #no-such-section"),
        ("../shared/reference/country-rules.md", "outside the repository"),
        ("https:///vat", "without a host"),
        ("ftp://example.org/vat", "neither a web address nor a file"),
    ],
)
def test_the_source_check_refuses_what_a_reader_cannot_follow(source, fault):
    why = broken(source, REPO)
    assert (why is None) if fault is None else (fault in why)


def test_lookups():
    rules = load_rules()
    assert rules.vat_rate("DE", None, DAY).rate == Decimal("19")
    assert rules.vat_rate("CA", "CA-QC", DAY).rate == Decimal("14.975")
    assert rules.vat_rate("CA", "CA-AB", DAY).rate == Decimal("5")
    assert rules.vat_rate("XK", None, DAY) is None
    assert rules.scheme("AT", DAY).regime == "eu_ioss"
    assert rules.scheme("US", DAY) is None
    assert len(rules.groups["EU"]) == 27


def test_rates_have_their_start_dates():
    rules = load_rules()
    assert rules.vat_rate("EE", None, datetime.date(2025, 7, 1)).rate == Decimal("24")
    assert rules.vat_rate("EE", None, datetime.date(2025, 6, 30)) is None  # earlier rate unknown


def test_blocks_by_country_and_region():
    rules = load_rules()
    assert rules.block_for("KP", None, DAY).id == "blocked-kp"
    assert rules.block_for("UA", "UA-09", DAY).id == "blocked-ua-09"
    assert rules.block_for("UA", "UA-46", DAY) is None
    assert rules.block_for("UA", None, DAY) is None


def test_us_de_minimis_ended_on_its_date():
    rules = load_rules()
    assert [r.id for r in rules.reliefs_for("US", datetime.date(2025, 8, 28))] == [
        "us-de-minimis-800"
    ]
    assert rules.reliefs_for("US", datetime.date(2025, 8, 29)) == []


def test_a_rule_change_is_a_data_edit(rules_dir, edit):
    edit("vat.json", lambda rules: by_id(rules, "vat-de").update(rate="20"))
    consignment = Consignment(
        "CN", "DE", DAY, (GoodsLine("711719", Money(Decimal(100), "EUR")),), Money.zero("EUR")
    )
    rates = RateSet(DAY, {})
    result = landed_cost(consignment, {"eu_ioss"}, rates, "EUR", load_rules(rules_dir))
    assert result.vat == Money(Decimal("20.00"), "EUR")


# malformed files ---------------------------------------------------------------------


def _set(rule_id: str, **changes):
    return lambda rules: by_id(rules, rule_id).update(changes)


def _drop(rule_id: str, key: str):
    return lambda rules: by_id(rules, rule_id).pop(key)


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("vat.json", _drop("vat-de", "source"), "'source' is missing"),
        ("vat.json", _set("vat-de", rate=19.0), "'rate' must be a non-negative decimal string"),
        ("vat.json", _set("vat-de", rate="190"), "over 100"),
        ("vat.json", _set("vat-de", valid_from="1 May 2026"), "YYYY-MM-DD"),
        ("vat.json", _drop("vat-de", "valid_to"), "'valid_to' is missing"),
        ("vat.json", _set("vat-de", valid_to="2020-01-01"), "is before 'valid_from'"),
        ("vat.json", _set("vat-de", valid_form="2026-01-01"), "unknown field(s) valid_form"),
        ("vat.json", _set("vat-de", country="XX"), "ISO 3166-1"),
        ("vat.json", _set("vat-de", region="FR-75"), "ISO 3166-2 code of DE"),
        ("schemes.json", _set("eu_ioss", countries=["EUROPE"]), "not a country code"),
        ("schemes.json", _set("eu_ioss", basis="parcel"), "'basis' must be one of"),
        ("schemes.json", _set("eu_ioss", inclusive="yes"), "'inclusive' must be a bool"),
        (
            "schemes.json",
            _set("eu_ioss", threshold={"amount": "150", "currency": "eur"}),
            "ISO 4217",
        ),
        (
            "schemes.json",
            _set("eu_ioss", threshold={"amount": "150", "currency": "EUX"}),
            "ISO 4217",
        ),
        ("duties.json", _set("eu-7113", hs_prefix="71.13"), "2 to 10 digits"),
        ("duties.json", _set("eu-7113", kind="percent"), "'kind' must be one of"),
        ("fees.json", _set("it-2-per-consignment", per="parcel"), "'per' must be one of"),
        ("restricted.json", _set("ivory", materials=[]), "needs materials"),
        ("blocked.json", _set("blocked-ua-43", region="UA-99"), "ISO 3166-2"),
    ],
)
def test_malformed_rules_name_the_file_and_rule(rules_dir, edit, name, change, expected):
    edit(name, change)
    with pytest.raises(RuleFileError) as error:
        load_rules(rules_dir)
    message = str(error.value)
    assert message.startswith(name)
    assert expected in message


def test_the_rule_is_named_by_its_id(rules_dir, edit):
    edit("vat.json", _set("vat-fi", rate="abc"))
    with pytest.raises(RuleFileError, match=r"vat\.json: rule 'vat-fi' \(#\d+\)"):
        load_rules(rules_dir)


def test_overlapping_vat_rates_are_refused(rules_dir, edit):
    def add_second_de_rate(rules):
        rules.append({**by_id(rules, "vat-de"), "id": "vat-de-2026", "rate": "21"})

    edit("vat.json", add_second_de_rate)
    with pytest.raises(RuleFileError, match="'vat-de' and 'vat-de-2026' both apply to DE"):
        load_rules(rules_dir)


def test_two_schemes_for_one_country_at_once_are_refused(rules_dir, edit):
    def add_german_scheme(rules):
        rules.append({**by_id(rules, "gb_low_value"), "id": "de_extra", "countries": ["DE"]})

    edit("schemes.json", add_german_scheme)
    with pytest.raises(RuleFileError, match="'eu_ioss' and 'de_extra' both apply to DE"):
        load_rules(rules_dir)


def test_consecutive_vat_rates_are_fine(rules_dir, edit):
    def change_rate(rules):
        by_id(rules, "vat-de")["valid_to"] = "2026-12-31"
        rules.append({**by_id(rules, "vat-de"), "id": "vat-de-2027", "rate": "21"})
        rules[-1].update(valid_from="2027-01-01", valid_to=None)

    edit("vat.json", change_rate)
    rules = load_rules(rules_dir)
    assert rules.vat_rate("DE", None, datetime.date(2026, 12, 31)).rate == Decimal("19")
    assert rules.vat_rate("DE", None, datetime.date(2027, 1, 1)).rate == Decimal("21")


def test_duplicate_ids_are_refused(rules_dir, edit):
    edit("fees.json", lambda rules: rules.append(dict(rules[0])))
    with pytest.raises(RuleFileError, match=r"fees\.json: rule id 'it-2-per-consignment'"):
        load_rules(rules_dir)


def test_missing_file_and_bad_json(rules_dir):
    (rules_dir / "fees.json").unlink()
    with pytest.raises(RuleFileError, match=r"fees\.json: the rule file is missing"):
        load_rules(rules_dir)
    (rules_dir / "fees.json").write_text("{not json")
    with pytest.raises(RuleFileError, match=r"fees\.json: not valid JSON"):
        load_rules(rules_dir)
    (rules_dir / "fees.json").write_text("[]")
    with pytest.raises(RuleFileError, match=r'fees.json: the file must be an object \{"rules"'):
        load_rules(rules_dir)


def test_a_rule_that_is_not_an_object(rules_dir, edit):
    edit("blocked.json", lambda rules: rules.append("CU"))
    with pytest.raises(RuleFileError, match=r"blocked.json: rule #\d+: a rule is a JSON object"):
        load_rules(rules_dir)
