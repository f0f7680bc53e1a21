"""Brand settings: shipped defaults, the organisation's file, and errors that name the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from email_crisis.core.notify.brand import (
    BRAND_ENV,
    DEFAULTS_PATH,
    BrandError,
    load_brand,
    user_brand_path,
)
from tests.core.notify.support import write

ACME = """
name = "ACME Outdoor"
postal_address = "ACME Outdoor SAS\\n12 rue des Pins\\n69001 Lyon"

[colours]
header_background = "#AA0000"

[sender]
reply_to = "help@acme.example"

[esp]
name = "Mailchimp"
[esp.merge_tags]
first_name = "*|FNAME|*"
"""


def test_defaults_load_and_are_marked_as_defaults() -> None:
    brand = load_brand(env={})
    assert brand.sources == (str(DEFAULTS_PATH),)
    assert brand.is_default
    assert brand.name and brand.postal_address
    assert brand.unsubscribe_url.startswith("https://")
    assert brand.website_host == "www.example.com"
    assert dict(brand.merge_tags) == {}
    assert brand.sample_recipient["first_name"]


def test_an_organisation_file_overrides_key_by_key(tmp_path: Path) -> None:
    path = write(tmp_path / "acme.toml", ACME)
    brand = load_brand(env={BRAND_ENV: str(path)})
    assert brand.name == "ACME Outdoor"
    assert brand.postal_lines == ("ACME Outdoor SAS", "12 rue des Pins", "69001 Lyon")
    assert brand.colours.header_background == "#AA0000"
    assert brand.colours.text == load_brand(env={}).colours.text  # untouched key
    assert brand.reply_to == "help@acme.example"
    assert brand.from_address == load_brand(env={}).from_address
    assert dict(brand.merge_tags) == {"first_name": "*|FNAME|*"}
    assert brand.esp_name == "Mailchimp"
    assert brand.sources[-1] == str(path) and not brand.is_default


def test_the_user_config_file_is_used_when_the_variable_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(BRAND_ENV)
    assert user_brand_path().is_relative_to(tmp_path)  # XDG_CONFIG_HOME set by the fixture
    write(user_brand_path(), 'name = "From the config folder"\n')
    assert load_brand().name == "From the config folder"


def test_an_explicit_path_wins_over_the_variable(tmp_path: Path) -> None:
    first = write(tmp_path / "a.toml", 'name = "A"\n')
    second = write(tmp_path / "b.toml", 'name = "B"\n')
    assert load_brand(second, env={BRAND_ENV: str(first)}).name == "B"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[colours]\ntext = "red"\n', "colours.text = 'red' is not a #rrggbb colour"),
        ('[colours]\ntext = "#fff;background:url(x)"\n', "colours.text"),
        ('[unsubscribe]\nurl = "http://x.example/u"\n', "unsubscribe.url"),
        ('[unsubscribe]\nurl = "https://x.example/u, <https://evil.example>"\n', "unsubscribe.url"),
        ('[sender]\nreply_to = "not an address"\n', "sender.reply_to"),
        ('nmae = "typo"\n', "unknown key 'nmae'"),
        ('[colours]\nheader = "#000000"\n', "unknown key 'header' in [colours]"),
        ('name = "two\\nlines"\n', "name must be plain text on one line"),
        ('[esp.merge_tags]\nfirst_name = "<%= name %>"\n', "esp.merge_tags.first_name"),
        ('[sample_recipient]\n"first name" = "x"\n', "sample_recipient.first name"),
    ],
)
def test_invalid_values_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "brand.toml", text)
    with pytest.raises(BrandError, match=re.escape(message)) as caught:
        load_brand(path)
    assert str(path) in str(caught.value)


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "brand.toml", 'name = "ok"\n\nwebsite = oops\n')
    with pytest.raises(BrandError, match=r"line 3, column \d+: not valid TOML") as caught:
        load_brand(path)
    assert str(path) in str(caught.value)


def test_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BrandError, match=r"nope\.toml: there is no such file"):
        load_brand(env={BRAND_ENV: str(tmp_path / "nope.toml")})
