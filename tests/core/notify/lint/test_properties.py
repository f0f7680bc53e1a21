"""Any Unicode input: findings stay inside the text, and line/column agree with the span."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from email_crisis.core.base.domain import KINDS
from email_crisis.core.notify.lint import FIELDS, RULES, LintContext, Linter, render_template
from email_crisis.core.notify.lint.eml import html_to_text

SNIPPETS = [
    "we are sorry",
    "sorry if",
    "Oops",
    "lol",
    "😀",
    "👨‍👩‍👧",
    ":-)",
    "may have",
    "désolés si",
    "oups",
    "Dear ,",
    "Bonjour ,",
    "<FirstName>",
    "*|FNAME|*",
    "%%Name%%",
    "{{ name }}",
    "{{${x}}}",
    "[[TOKEN]]",
    "{% if x %}",
    "{# lint: disable=humor #}",
    "{# lint: nope #}",
    "data breach",
    "change your password",
    "click here",
    "noreply@x.com",
    "URGENT",
    "!!!",
    "\r\n",
    "\r",
    "\n\n",
    "\u0301",
    "e\u0301",
    "\x00",
    "\x1b[31m",
    "İ",
    "ß",
    "\ufeff",
    " ",
]
texts = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(SNIPPETS)), max_size=12).map(
    "".join
)
contexts = st.builds(
    LintContext,
    kind=st.sampled_from([None, *KINDS]),
    language=st.sampled_from(["auto", "en", "fr"]),
    template_name=st.sampled_from([None, "t"]),
    is_template=st.sampled_from([None, True, False]),
    apology_override=st.booleans(),
)
drafts = st.fixed_dictionaries({}, optional={name: texts for name in FIELDS})
CHECKER = Linter()


def reference_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column by walking the text (lines end at \\r\\n, \\r or \\n)."""
    line, column, i = 1, 1, 0
    while i < offset:
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n" and i + 1 < offset:
            line, column, i = line + 1, 1, i + 2
            continue
        if text[i] in "\n" or (text[i] == "\r" and text[i + 1 : i + 2] != "\n"):
            line, column = line + 1, 1
        else:
            column += 1
        i += 1
    return line, column


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts, contexts)
def test_spans_lie_inside_the_text_and_positions_agree(
    draft: dict[str, str], context: LintContext
) -> None:
    findings = CHECKER.check(draft, context)
    for finding in findings:
        assert finding.rule in RULES
        text = draft[finding.field]
        assert 0 <= finding.start <= finding.end <= len(text)
        assert (finding.line, finding.column) == reference_position(text, finding.start)
        assert (finding.end_line, finding.end_column) == reference_position(text, finding.end)
        assert finding.message
    assert findings == sorted(findings, key=lambda f: f.sort_key())


@settings(max_examples=200, deadline=None)
@given(texts)
def test_rendering_any_text_never_raises(source: str) -> None:
    rendered = render_template(source, {"name": "Jo"})
    assert (rendered.text is None) == bool(rendered.findings)
    for finding in rendered.findings:
        assert 0 <= finding.start <= finding.end <= len(source)
        assert (finding.line, finding.column) == reference_position(source, finding.start)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<br>",
                    "&amp;",
                    "&#233;",
                    "<script>x</script>",
                    "&bogus",
                    "<a href='x'>",
                ]
            ),
        ),
        max_size=10,
    ).map("".join)
)
def test_html_offsets_point_inside_the_source(html: str) -> None:
    text, offsets = html_to_text(html)
    assert len(text) == len(offsets)
    for start, end in offsets:
        assert 0 <= start <= end <= len(html)
