"""The checker: split a draft into paragraphs, scan each (cached), judge the whole.

One ``Linter`` keeps its caches between calls, so the Notify panel can call
``check`` on every keystroke: only the paragraph that changed is scanned again, and
the document rules (cheap: they read what the scans recorded) run every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from email_crisis.core.notify.lint import signals
from email_crisis.core.notify.lint.cache import ParagraphCache
from email_crisis.core.notify.lint.config import DEFAULT_CONFIG, LintConfig
from email_crisis.core.notify.lint.document import Analysis, Document, FieldText, Paragraph
from email_crisis.core.notify.lint.jinja import looks_like_template, mask
from email_crisis.core.notify.lint.kinds import infer
from email_crisis.core.notify.lint.language import decided, overall, votes
from email_crisis.core.notify.lint.lexicon import Lexicon, compiled
from email_crisis.core.notify.lint.model import (
    FIELDS,
    LANGUAGES,
    Finding,
    LintContext,
    Located,
    Severity,
)
from email_crisis.core.notify.lint.positions import LineIndex, line_breaks, paragraphs
from email_crisis.core.notify.lint.rules import JUDGES, REFINERS, RULES, SCANNERS, Refiner
from email_crisis.core.notify.lint.rules.base import Para
from email_crisis.core.notify.lint.signals import KIND_HINTS
from email_crisis.core.notify.lint.suppress import Suppressions, find_directives
from email_crisis.core.notify.lint.tokens import Tokens, longest, tokenize

_SCAN_KIND = {"preheader": "body"}  # the preheader reads like body text
_APOLOGY_SIGNALS = (
    "apology",
    "conditional",
    "regret",
    "breach",
    "fault",
    "incident",
    *KIND_HINTS,
)
"""Without a kind, a draft that says any of these is an apology (else a plain campaign)."""
_BREACH_KINDS = frozenset({"data-breach"})

Prepared = tuple[Tokens, int, int]
_new = tuple.__new__  # a named tuple without its Python-level __new__: one per paragraph


class Report(NamedTuple):
    """A check's findings, with what the checker decided about the draft."""

    findings: list[Finding]
    kind: str | None
    """The incident kind the rules followed (``None``: not an apology, no kind)."""
    kind_inferred: bool
    kind_evidence: Located | None
    """Where the inferred kind's clue is (``None``: given, or no clue found)."""
    language: str
    apology: bool


class Linter:
    """Checks drafts against the rules, with a per-paragraph cache.

    Create one per config and keep it: ``check`` is then incremental.
    """

    def __init__(self, config: LintConfig = DEFAULT_CONFIG, cache_size: int = 4096) -> None:
        self._config = config
        self._lexicons: dict[str, Lexicon] = {}
        self.prepared: ParagraphCache[Prepared] = ParagraphCache(cache_size)
        self.analyses: ParagraphCache[Analysis] = ParagraphCache(cache_size)
        self._plans: dict[tuple[object, ...], dict[str, tuple[bool, Severity, Refiner | None]]] = {}

    @property
    def config(self) -> LintConfig:
        """The config this checker was made for (fixed: its caches hold what it found)."""
        return self._config

    def lexicon(self, lang: str) -> Lexicon:
        """The compiled word lists of ``lang`` (built once)."""
        found = self._lexicons.get(lang)
        if found is None:
            found = self._lexicons[lang] = compiled(lang, self.config)
        return found

    def prepare(self) -> None:
        """Compile the word lists of every language now, not on first use (before
        worker processes are forked, so that they share them)."""
        for lang in LANGUAGES:
            self.lexicon(lang)

    def clear_cache(self) -> None:
        """Forget every paragraph (word lists stay compiled)."""
        self.prepared.clear()
        self.analyses.clear()

    def check(
        self, fields: Mapping[str, str | None], context: LintContext | None = None
    ) -> list[Finding]:
        """Every finding for the draft ``fields`` (field name -> text), in a stable order."""
        return self.inspect(fields, context).findings

    def inspect(
        self, fields: Mapping[str, str | None], context: LintContext | None = None
    ) -> Report:
        """``check``, with the kind the rules followed (given or inferred) and the language."""
        context = context or LintContext()
        unknown = [name for name in fields if name not in FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; expected some of {FIELDS}")
        if context.language not in ("auto", *LANGUAGES):
            raise ValueError(f"unknown language {context.language!r}; use auto, en or fr")
        if all(text is None for text in fields.values()):
            return Report([], context.kind, False, None, "en", False)
        body = fields.get("body") or ""
        template = (
            context.is_template if context.is_template is not None else looks_like_template(body)
        )
        doc = self._document(fields, context, template)
        for judge in JUDGES:
            judge(doc)
        return Report(
            self._findings(doc),
            doc.kind,
            doc.kind_inferred,
            doc.kind_evidence,
            doc.lang,
            doc.apology,
        )

    # -- building the document ------------------------------------------------------------

    def _document(
        self, fields: Mapping[str, str | None], context: LintContext, template: bool
    ) -> Document:
        texts: dict[str, FieldText] = {}
        pending: list[tuple[FieldText, int, int, str, Prepared]] = []
        en_total = fr_total = 0
        for name in FIELDS:
            text = fields.get(name)
            if text is None:
                continue
            field = texts[name] = FieldText(name, text, mask(text, template=template))
            for start, end in paragraphs(field.masked):
                piece = field.masked[start:end]
                prepared = self.prepared.find(piece) or self.prepared.keep(piece, _prepare(piece))
                en_total += prepared[1]
                fr_total += prepared[2]
                pending.append((field, start, end, piece, prepared))
        auto = context.language == "auto"
        lang = overall(en_total, fr_total) if auto else context.language
        words_before: dict[str, int] = {}
        used: set[str] = set()
        for field, start, end, piece, (tokens, en, fr) in pending:
            para_lang = (decided(en, fr) or lang) if auto else lang
            used.add(para_lang)
            kind = _SCAN_KIND.get(field.name, field.name)
            key = (kind, para_lang, template, piece)  # one config per checker
            analysis = self.analyses.find(key) or self.analyses.keep(
                key, self._analyse(kind, piece, para_lang, template, tokens)
            )
            before = words_before.get(field.name, 0)
            previous = field.paragraphs[-1] if field.paragraphs else None
            if previous is None:
                line = 1 + line_breaks(field.masked[:start])
            else:
                gap = line_breaks(field.masked[previous.end : start])
                line = previous.line + previous.analysis.breaks + gap
            field.paragraphs.append(
                _new(Paragraph, (start, end, para_lang, analysis, before, line))
            )
            words_before[field.name] = before + analysis.words
        doc = Document(
            fields=texts,
            context=context,
            config=self.config,
            lang=lang,
            lexicons={code: self.lexicon(code) for code in used | {lang}},
            template=template,
            languages=frozenset(used or {lang}),
        )
        doc.directives = [
            directive
            for name, field in texts.items()
            for directive in find_directives(name, field.text, RULES)
        ]
        doc.apology = context.purpose == "apology" or (
            context.purpose is None
            and (context.kind is not None or any(doc.find(s) for s in _APOLOGY_SIGNALS))
        )
        if context.kind is not None:
            doc.kind = context.kind
        elif doc.apology:
            doc.kind, doc.kind_evidence = infer(doc)
            doc.kind_inferred = True
        # The kind decides: breach wording in a wrong-content apology ("no personal data
        # was compromised") does not make it a breach notice; the assessment may.
        doc.breach = (
            doc.kind in _BREACH_KINDS
            or bool(context.data_exposed)
            or bool(context.exposed - {"none"})
        )
        return doc

    def _analyse(self, kind: str, text: str, lang: str, template: bool, tokens: Tokens) -> Analysis:
        lexicon = self.lexicon(lang)
        matcher = lexicon.subject if kind == "subject" else lexicon.body
        grouped: dict[str, list] = {}
        for match in matcher.scan(tokens):
            grouped.setdefault(match.tag, []).append(match)
        matches = {
            tag: found if len(found) == 1 else longest(found) for tag, found in grouped.items()
        }
        para = Para(kind, text, template, lang, lexicon, self.config, tokens, matches)
        signals.scan(para)
        for scan in SCANNERS:
            scan(para)
        places: tuple[tuple[int, int, int, int], ...] = ()
        if para.hits:
            if "\n" in text or "\r" in text:
                index = LineIndex(text)
                places = tuple(
                    (*index.position(hit.start), *index.position(hit.end)) for hit in para.hits
                )
            else:  # one line (most paragraphs): columns are offsets plus one
                places = tuple((1, hit.start + 1, 1, hit.end + 1) for hit in para.hits)
        return _new(
            Analysis,
            (
                tuple(para.hits),
                para.signals,  # read-only from here on (the judges only read it)
                len(tokens.words),
                line_breaks(text),
                places,
            ),
        )

    # -- turning hits into findings ---------------------------------------------------------

    def _plan(self, doc: Document) -> dict[str, tuple[bool, Severity, Refiner | None]]:
        """Per rule: whether its hits are dropped, their severity, and their refiner."""
        config = self.config
        plans: dict[str, tuple[bool, Severity, Refiner | None]] = {}
        for rule, info in RULES.items():
            severity = info.severity_for(doc.kind, doc.breach)
            if severity is Severity.ERROR and doc.kind_inferred and info.kinds is not None:
                # A rule that only exists for some kinds, on a kind that was guessed from
                # the wording: a warning (the CLI prints the guess; --kind makes it sure).
                severity = Severity.WARNING
            skip = (
                severity is None
                or rule in config.disabled
                or (info.scope == "apology" and not doc.apology)
            )
            plans[rule] = (skip, severity or info.severity, REFINERS.get(rule))
        return plans

    def _findings(self, doc: Document) -> list[Finding]:
        config = self.config
        suppressions = Suppressions(
            doc.directives,
            {name: [(p.start, p.end) for p in f.paragraphs] for name, f in doc.fields.items()},
        )
        # What to do with each rule's hits: it depends on these four only (the config is
        # the checker's own), so it is worked out once per combination.
        situation = (doc.kind, doc.breach, doc.kind_inferred, doc.apology)
        plans = self._plans.get(situation)
        if plans is None:
            if len(self._plans) >= 64:  # kinds come from outside: keep it bounded
                self._plans.clear()
            plans = self._plans[situation] = self._plan(doc)
        overrides = config.severities
        found: list[Finding] = []
        for name, field in doc.fields.items():
            for para in field.paragraphs:
                analysis = para.analysis
                for hit, place in zip(analysis.hits, analysis.places, strict=True):
                    skip, severity, refine = plans[hit.rule]
                    if skip:
                        continue
                    severity = hit.severity or severity
                    start = para.start + hit.start
                    if refine is not None:
                        refined = refine(hit, doc, severity, name, start)
                        if refined is None:
                            continue
                        severity = refined
                    if suppressions.active and suppressions.silenced(hit.rule, name, start):
                        continue
                    # Paragraphs start a line, so columns carry over unchanged.
                    found.append(
                        _new(
                            Finding,
                            (
                                hit.rule,
                                overrides.get(hit.rule, severity),
                                name,
                                start,
                                para.start + hit.end,
                                para.line + place[0] - 1,
                                place[1],
                                para.line + place[2] - 1,
                                place[3],
                                hit.message,
                                hit.suggestion,
                            ),
                        )
                    )
        indexes: dict[str, LineIndex] = {}
        seen: set[tuple[str, str, int, int, str]] = set()
        for name, hit in doc.hits:
            skip, severity, refine = plans[hit.rule]
            severity = hit.severity or severity
            if skip or name not in doc.fields:
                continue
            if refine is not None:
                refined = refine(hit, doc, severity, name, hit.start)
                if refined is None:
                    continue
                severity = refined
            text = doc.fields[name].text
            start = min(max(hit.start, 0), len(text))
            end = min(max(hit.end, start), len(text))
            key = (hit.rule, name, start, end, hit.message)
            if key in seen or (
                suppressions.active and suppressions.silenced(hit.rule, name, start)
            ):
                continue
            seen.add(key)
            index = indexes.get(name) or indexes.setdefault(name, LineIndex(text))
            found.append(
                Finding(
                    hit.rule,
                    overrides.get(hit.rule, severity),
                    name,
                    start,
                    end,
                    *index.position(start),
                    *index.position(end),
                    hit.message,
                    hit.suggestion,
                )
            )
        found.sort(key=Finding.sort_key)
        return found


def _prepare(text: str) -> Prepared:
    tokens = tokenize(text)
    return (tokens, *votes(tokens.words))
