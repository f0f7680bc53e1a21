"""The per-paragraph cache: a re-check after an edit equals a full check, and only the
edited paragraph is scanned again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from email_crisis.core.notify.lint import LintContext, Linter, parse_config
from email_crisis.core.notify.lint.cache import ParagraphCache

APOLOGY = LintContext(kind="wrong-content", template_name="t")
PARAGRAPHS = [
    "Dear customer,",
    "Oops: yesterday we sent you the wrong code. We are sorry if it confused you.",
    "It may have reached a small number of you twice. A third party merged the lists.",
    "Nous sommes désolés : il se pourrait que vous ayez reçu ce message deux fois.",
    "Reply to this email, or click here. *|FNAME|*",
    "Thank you,\nThe Example Shop team",
]
BODY = "\n\n".join(PARAGRAPHS)
DRAFT = {"subject": "We sent the wrong code", "from": "care@example.com", "body": BODY}


def test_a_one_character_edit_scans_one_paragraph_and_matches_a_full_check() -> None:
    warm = Linter()
    warm.check(DRAFT, APOLOGY)
    position = BODY.index("wrong")
    edited = {**DRAFT, "body": BODY[:position] + "W" + BODY[position + 1 :]}
    before = warm.analyses.misses
    result = warm.check(edited, APOLOGY)
    assert warm.analyses.misses - before == 1
    assert result == Linter().check(edited, APOLOGY)


def test_an_unchanged_draft_scans_nothing() -> None:
    warm = Linter()
    first = warm.check(DRAFT, APOLOGY)
    before = warm.analyses.misses
    assert warm.check(DRAFT, APOLOGY) == first
    assert warm.analyses.misses == before


def test_inserting_a_paragraph_shifts_lines_of_the_cached_ones() -> None:
    warm = Linter()
    warm.check(DRAFT, APOLOGY)
    edited = {**DRAFT, "body": "Hello,\n\nA new first line\nwith two lines.\n\n" + BODY}
    assert warm.check(edited, APOLOGY) == Linter().check(edited, APOLOGY)


def test_the_context_is_not_baked_into_the_cache() -> None:
    warm = Linter()
    warm.check(DRAFT, APOLOGY)
    for context in (
        LintContext(template_name="t"),
        LintContext(kind="suppression-list-send"),
        LintContext(kind="data-breach", language="fr"),
        LintContext(kind="other", is_template=True),
    ):
        assert warm.check(DRAFT, context) == Linter().check(DRAFT, context)


def test_linters_with_different_configs_do_not_share_results() -> None:
    plain = Linter().check(DRAFT, APOLOGY)
    banned = Linter(parse_config('banned = ["customer"]')).check(DRAFT, APOLOGY)
    assert [f.rule for f in banned if f.rule == "banned-phrase"] == ["banned-phrase"]
    assert "banned-phrase" not in [f.rule for f in plain]


def test_the_cache_is_bounded() -> None:
    cache: ParagraphCache[int] = ParagraphCache(max_entries=8)
    for n in range(100):
        assert cache.get(n, lambda n=n: n * 2) == n * 2
    assert len(cache) <= 8
    assert cache.misses == 100
    cache.get(99, lambda: -1)
    assert cache.hits == 1


edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=len(BODY)),
        st.sampled_from(["", "x", "\n", "é", "😀", " lol "]),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(edits)
def test_incremental_results_equal_full_results(changes: list[tuple[int, str]]) -> None:
    warm = Linter()
    body = BODY
    warm.check({**DRAFT, "body": body}, APOLOGY)
    for position, text in changes:
        position = min(position, len(body))
        body = body[:position] + text + body[position + 1 :]
        draft = {**DRAFT, "body": body}
        assert warm.check(draft, APOLOGY) == Linter().check(draft, APOLOGY)
