"""Reading drafts: .eml messages, bare bodies, HTML with positions in the source."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from email_crisis.core.notify.lint import LintContext, Linter
from email_crisis.core.notify.lint.eml import UnreadableDraft, html_to_text, read_draft

APOLOGY = LintContext(kind="wrong-content", template_name="t")


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_headers_preheader_and_plain_body(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.eml",
        "From: Shop <care@example.com>\r\nReply-To: help@example.com\r\n"
        "Subject: =?utf-8?q?Nous_sommes_d=C3=A9sol=C3=A9s?=\r\n"
        "X-Preheader: Ce qui s'est pass\xe9\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\n\r\nOups.\r\n",
    )
    draft = read_draft(path)
    assert draft.fields == {
        "from": "Shop <care@example.com>",
        "reply-to": "help@example.com",
        "subject": "Nous sommes désolés",
        "preheader": "Ce qui s'est passé",
        "body": "Bonjour,\r\n\r\nOups.\r\n",
    }


def test_missing_headers(tmp_path: Path) -> None:
    draft = read_draft(write(tmp_path / "d.eml", "Content-Type: text/plain\n\nHello"))
    assert draft.fields == {
        "from": None,
        "reply-to": None,
        "subject": "",
        "preheader": None,
        "body": "Hello",
    }


def test_a_base64_body_in_latin_1(tmp_path: Path) -> None:
    payload = base64.b64encode("Désolés".encode("latin-1")).decode()
    path = write(
        tmp_path / "d.eml",
        "Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n"
        f"Content-Transfer-Encoding: base64\n\n{payload}\n",
    )
    assert read_draft(path).fields["body"] == "Désolés"


def test_plain_text_is_preferred_over_html(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.eml",
        'Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/html; charset=utf-8\n\n<p>html</p>\n"
        "--b\nContent-Type: text/plain; charset=utf-8\n\nplain\n--b--\n",
    )
    draft = read_draft(path)
    assert draft.fields["body"].strip() == "plain" and draft.html is None


def test_an_html_body_is_checked_as_text_with_spans_in_the_html(tmp_path: Path) -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body>\n"
        "<p>We are sorry &amp; ashamed.</p>\n<p>Oops, <a href='x'>click here</a>.</p>\n"
        "</body></html>"
    )
    path = write(
        tmp_path / "d.eml", f"Subject: Sorry\nContent-Type: text/html; charset=utf-8\n\n{html}"
    )
    draft = read_draft(path)
    assert "color" not in draft.fields["body"]
    findings = draft.to_source(Linter().check(draft.fields, APOLOGY))
    spans = {(f.rule, html[f.start : f.end], f.line) for f in findings}
    assert ("humor", "Oops", 3) in spans
    assert ("click-here-link", "click here", 3) in spans


def test_entities_map_to_their_whole_source() -> None:
    text, offsets = html_to_text("<p>caf&eacute; &#233;t&eacute;</p>")
    assert text.strip() == "café été"
    start = text.index("é")
    assert offsets[start] == (6, 14)


@pytest.mark.parametrize("name", ["d.txt", "d.j2", "d.md"])
def test_a_bare_body_file(tmp_path: Path, name: str) -> None:
    draft = read_draft(write(tmp_path / name, "\ufeffHello {{ name }}"))
    assert draft.fields == {"body": "Hello {{ name }}"}
    assert draft.is_template is (True if name.endswith(".j2") else None)


def test_an_html_body_file(tmp_path: Path) -> None:
    draft = read_draft(write(tmp_path / "d.html.j2", "<p>Hello {{ name }}</p>"))
    assert draft.fields["body"].strip() == "Hello {{ name }}"
    assert draft.is_template is True and draft.html is not None


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bad.txt", b"caf\xe9", "not valid utf-8 text (byte 0xe9 at offset 3)"),
        (
            "bad.eml",
            b"Subject: x\nContent-Type: text/plain; charset=utf-8\n\ncaf\xe9",
            "text/plain body",
        ),
        (
            "bad.eml",
            b"Subject: x\nContent-Type: text/plain; charset=klingon\n\nx",
            "unknown charset",
        ),
        ("bad.eml", b"Subject: caf\xe9\n\nx", "Subject header"),
    ],
)
def test_unreadable_drafts_name_the_file(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(UnreadableDraft) as caught:
        read_draft(path)
    assert str(path) in str(caught.value) and words in str(caught.value)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDraft, match="no such file"):
        read_draft(tmp_path / "nope.eml")


def test_raw_utf8_headers_are_read_rfc_6532(tmp_path: Path) -> None:
    """RFC 6532 lets header values hold UTF-8 as is; most editors save drafts that way."""
    path = write(
        tmp_path / "d.eml",
        "From: Maison Lumière <contact@lumiere.example>\n"
        "Subject: Nous sommes désolés — erreur d'envoi\n"
        "Content-Type: text/plain; charset=utf-8\n\nBonjour,\n",
    )
    fields = read_draft(path).fields
    assert fields["from"] == "Maison Lumière <contact@lumiere.example>"
    assert fields["subject"] == "Nous sommes désolés — erreur d'envoi"


def test_raw_utf8_and_rfc_2047_words_in_one_header(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.eml",
        "Subject: =?utf-8?q?Nous_sommes_d=C3=A9sol=C3=A9s?= — vraiment\n\nx\n",
    )
    assert read_draft(path).fields["subject"] == "Nous sommes désolés — vraiment"


def test_rfc_2047_in_a_display_name(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.eml", "From: =?iso-8859-1?q?Maison_Lumi=E8re?= <c@lumiere.example>\n\nx\n"
    )
    assert read_draft(path).fields["from"] == "Maison Lumière <c@lumiere.example>"


def test_a_text_draft_starting_with_headers_reads_them(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.txt",
        "Subject: We sent you the wrong code\nFrom: Shop <care@example.com>\n"
        "Reply-To: help@example.com\n\nHello,\n\nWe are sorry.\n",
    )
    draft = read_draft(path)
    assert draft.fields == {
        "subject": "We sent you the wrong code",
        "from": "Shop <care@example.com>",
        "reply-to": "help@example.com",
        "body": "Hello,\n\nWe are sorry.\n",
    }
    assert draft.headers_in_text == ("subject", "from", "reply-to")


@pytest.mark.parametrize(
    "text",
    [
        "Note: this is prose.\n\nWe are sorry.\n",  # a name that is not a header
        "Subject: x\nand then prose\n\nbody\n",  # a line that is not a header
        "Subject: no blank line after it\nFrom: a@b.example",  # no body
        "To: a@b.example\n\nbody\n",  # neither From, Subject nor Reply-To
    ],
)
def test_text_that_only_looks_like_headers_stays_body(tmp_path: Path, text: str) -> None:
    draft = read_draft(write(tmp_path / "d.txt", text))
    assert draft.fields == {"body": text}
    assert draft.headers_in_text == ()


def test_an_html_only_message_is_checked_on_its_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.eml",
        "Subject: We sent the wrong code\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><body><p>Oops, we sent the wrong code.</p><p>Reply to this email.</p>"
        "</body></html>\n--b--\n",
    )
    draft = read_draft(path)
    assert "<p>" not in (draft.fields["body"] or "")
    findings = draft.to_source(Linter().check(draft.fields, APOLOGY))
    (humor,) = [f for f in findings if f.rule == "humor"]
    assert draft.html is not None
    assert draft.html[humor.start : humor.end] == "Oops"
