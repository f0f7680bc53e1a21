"""Reading the user's lint configuration file (format: ``config``'s docstring).

Above the rules and the word lists: the file is checked against the rules that exist
and the word lists a language has, so a misspelt rule id is an error, not a silence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from email_crisis.core.base.toml_file import parse_toml, read_text
from email_crisis.core.notify.lint.config import (
    DEFAULT_CONFIG,
    LintConfig,
    LintConfigError,
    PhraseRule,
)
from email_crisis.core.notify.lint.lexicon import LIST_NAMES
from email_crisis.core.notify.lint.model import FIELDS, LANGUAGES, Severity
from email_crisis.core.notify.lint.rules import RULES

_PHRASE_KEYS = {"phrase", "message", "suggestion", "severity", "lang", "field"}
_TOP_KEYS = {"rules", "banned", "required", "brand", "words"}
_RULE_KEYS = {"enabled", "severity"}


def load_config(path: Path | None) -> LintConfig:
    """Read and check a config file (``None`` gives the defaults)."""
    if path is None:
        return DEFAULT_CONFIG
    # A FIFO, a device or a folder is refused before a byte is read (no hang).
    source = read_text(path, where=f"lint config {path}", error=LintConfigError)
    return parse_config(source, path)


def parse_config(source: str, path: Path | None = None) -> LintConfig:
    """Check the TOML text ``source``; errors name ``path`` and the line."""
    where = str(path) if path else "<config>"
    data = parse_toml(source, where=f"lint config {where}", error=LintConfigError)
    return _Reader(source, where).read(data, path)


class _Reader:
    """Turns the parsed TOML into a ``LintConfig``, failing with file and line."""

    def __init__(self, source: str, where: str) -> None:
        self.lines = source.splitlines()
        self.where = where

    def fail(self, message: str, *path: str) -> LintConfigError:
        line = self._line_of(path)
        at = f", line {line}" if line else ""
        return LintConfigError(f"lint config {self.where}{at}: {message}")

    def _line_of(self, path: tuple[str, ...]) -> int | None:
        """The line of the last key of ``path``, each key searched from the line of the
        one before (best effort: TOML parsers keep no positions)."""
        found: int | None = None
        start = 0
        for key in path:
            pattern = re.compile(
                rf"(^|[\s.\[{{,]){re.escape(key)}[\"']?\s*(=|\]|\.)|[\"']{re.escape(key)}[\"']"
            )
            for number in range(start, len(self.lines)):
                if pattern.search(self.lines[number]):
                    found, start = number + 1, number
                    break
        return found

    def read(self, data: dict[str, Any], path: Path | None) -> LintConfig:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    f"unknown setting {key!r} (expected: {', '.join(sorted(_TOP_KEYS))}).", key
                )
        disabled: set[str] = set()
        severities: dict[str, Severity] = {}
        options: dict[str, dict[str, int]] = {}
        rules = self._table(data, "rules")
        for rule_id, settings in rules.items():
            if rule_id not in RULES:
                raise self.fail(f"unknown rule {rule_id!r}.", rule_id)
            if not isinstance(settings, dict):
                raise self.fail(f"[rules.{rule_id}] must be a table.", rule_id)
            info = RULES[rule_id]
            for name, value in settings.items():
                if name == "enabled":
                    if not isinstance(value, bool):
                        raise self.fail(f"{rule_id}.enabled must be true or false.", rule_id, name)
                    if not value:
                        disabled.add(rule_id)
                elif name == "severity":
                    severities[rule_id] = self._severity(value, rule_id, name)
                elif name in info.options:
                    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                        raise self.fail(
                            f"{rule_id}.{name} must be a positive whole number.", rule_id, name
                        )
                    options.setdefault(rule_id, {})[name] = value
                else:
                    known = sorted(_RULE_KEYS | set(info.options))
                    raise self.fail(
                        f"unknown setting {name!r} for rule {rule_id} "
                        f"(expected: {', '.join(known)}).",
                        rule_id,
                        name,
                    )
        brand = self._table(data, "brand")
        for key in brand:
            if key not in ("terms", "markers"):
                raise self.fail(
                    f"unknown setting brand.{key} (expected: terms, markers).", "brand", key
                )
        words: dict[str, dict[str, tuple[str, ...]]] = {}
        for lang, lists in self._table(data, "words").items():
            if lang not in LANGUAGES:
                raise self.fail(f"words.{lang}: unknown language (use en or fr).", "words", lang)
            if not isinstance(lists, dict):
                raise self.fail(f"[words.{lang}] must be a table of lists.", "words", lang)
            for name in lists:
                if name not in LIST_NAMES:
                    raise self.fail(
                        f"words.{lang}.{name}: unknown word list (expected one of: "
                        f"{', '.join(LIST_NAMES)}).",
                        "words",
                        lang,
                        name,
                    )
            words[lang] = {
                name: self._strings(value, "words", lang, name) for name, value in lists.items()
            }
        return LintConfig(
            disabled=frozenset(disabled),
            severities=severities,
            options=options,
            banned=self._phrases(data.get("banned", []), "banned"),
            required=self._phrases(data.get("required", []), "required"),
            brand_terms=self._strings(brand.get("terms", []), "brand", "terms"),
            brand_markers=self._strings(brand.get("markers", []), "brand", "markers"),
            words=words,
            source=path,
        )

    def _table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"{key} must be a table ([{key}]).", key)
        return value

    def _severity(self, value: Any, *keys: str) -> Severity:
        if not isinstance(value, str):
            raise self.fail("severity must be a string: error, warning or info.", *keys)
        try:
            return Severity.parse(value)
        except ValueError as error:
            raise self.fail(f"{error}.", *keys) from None

    def _strings(self, value: Any, *path: str) -> tuple[str, ...]:
        name = ".".join(path)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{name} must be a list of strings.", *path)
        if any(not v.strip() for v in value):
            raise self.fail(f"{name} holds an empty string.", *path)
        return tuple(value)

    def _phrases(self, value: Any, key: str) -> tuple[PhraseRule, ...]:
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list of phrases.", key)
        found: list[PhraseRule] = []
        for item in value:
            if isinstance(item, str):
                item = {"phrase": item}
            if not isinstance(item, dict):
                raise self.fail(f"each {key} entry must be a string or a table.", key)
            unknown = set(item) - _PHRASE_KEYS
            if unknown:
                name = sorted(unknown)[0]
                raise self.fail(
                    f"unknown setting {name!r} in {key} (expected: "
                    f"{', '.join(sorted(_PHRASE_KEYS))}).",
                    key,
                    name,
                )
            phrase = item.get("phrase")
            if not isinstance(phrase, str) or not phrase.strip():
                raise self.fail(f"each {key} entry needs a non-empty phrase.", key)
            for text_key in ("message", "suggestion"):
                if text_key in item and not isinstance(item[text_key], str):
                    raise self.fail(f"{key}.{text_key} must be a string.", key, phrase, text_key)
            lang = item.get("lang")
            if lang is not None and lang not in LANGUAGES:
                raise self.fail(
                    f"{key}: unknown language {lang!r} (use en or fr).", key, phrase, "lang"
                )
            where = item.get("field")
            if where is not None and where not in FIELDS:
                raise self.fail(
                    f"{key}: unknown field {where!r} (use one of: {', '.join(FIELDS)}).",
                    key,
                    phrase,
                    "field",
                )
            severity = item.get("severity")
            found.append(
                PhraseRule(
                    phrase=phrase.strip(),
                    message=item.get("message"),
                    suggestion=item.get("suggestion"),
                    severity=self._severity(severity, key, phrase, "severity")
                    if severity is not None
                    else None,
                    lang=lang,
                    field=where,
                )
            )
        return tuple(found)
