"""Proof that a change to the rule checker's speed changed none of its findings.

Records everything the checker says about a fixed set of inputs, then compares a later
run with that record, byte for byte:

- the real emails of ``tests/core/notify/lint/corpus/``, every rule example of
  ``tests/core/notify/lint/examples*.py`` (as ``.eml`` files) and generated drafts
  (``lint.py``'s ``make_draft``, many seeds and sizes, English then French), written as
  ``.eml`` (raw UTF-8 and RFC 2047 headers, quoted-printable, base64, multipart, Latin-1,
  CRLF), ``.txt`` (with and without header lines), ``.html`` and ``.j2`` files, plus
  unreadable ones (missing, a folder, bad UTF-8, a non-UTF-8 header);
- ``email-crisis lint`` from the shell on them: one call over all the files (JSON and
  text, with and without ``--kind``, ``--lang``, ``--template``) and one call per file
  for some of them; stdout, stderr and the exit code of each;
- in-process: every rule example with its own context and config, the generated drafts
  under each incident kind and language, on fresh checkers and on one shared checker
  (warm caches), and re-checks after one typed character against a fresh check.

    python benchmarks/lint_same.py record FILE   # before the change
    python benchmarks/lint_same.py check FILE    # after it: exit 1 on any difference

The record is a JSON file (a few MB); keep it outside the repository.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from email.header import Header
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.core.notify.lint.examples

from lint import make_draft  # noqa: E402

from email_crisis.core.base.domain import KINDS  # noqa: E402
from email_crisis.core.notify.lint import (  # noqa: E402
    LintContext,
    Linter,
    parse_config,
)
from email_crisis.core.notify.lint.engine import Report  # noqa: E402

CORPUS = ROOT / "tests" / "core" / "notify" / "lint" / "corpus" / "emails"
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SEEDS = range(60)


# -- inputs -----------------------------------------------------------------------------


def _headers(fields: dict[str, str], *, encoded: bool = False) -> str:
    lines = []
    for header, name in (
        ("From", "from"),
        ("Reply-To", "reply-to"),
        ("Subject", "subject"),
        ("X-Preheader", "preheader"),
    ):
        value = fields.get(name)
        if value is None:
            continue
        if encoded and not value.isascii():
            value = Header(value, "utf-8").encode()
        lines.append(f"{header}: {value}")
    return "\n".join(lines)


def _html(body: str) -> str:
    paragraphs = body.split("\n\n")
    out = ["<html><head><title>x</title><style>p{}</style></head><body>"]
    for n, para in enumerate(paragraphs):
        para = para.replace("&", "&amp;").replace("<", "&lt;")
        if n % 3 == 1:
            para = para.replace(". ", ".<br>\n", 1)
        if n % 4 == 2:
            para = para.replace(" ", "&nbsp;", 1)
        out.append(f"<p>{para}</p>")
        if n == 1:
            out.append("<script>var sorry = 'oops';</script>")
    out.append("</body></html>")
    return "\n".join(out)


def _template(body: str) -> str:
    paragraphs = body.split("\n\n")
    paragraphs[0] = "Dear {{ first_name }},"
    paragraphs.insert(2, "{% if vip %}Thank you for being with us.{% endif %}")
    paragraphs.insert(4, "{# lint: disable=humor #}\nOops, our bad: we sent it twice.")
    return "\n\n".join(paragraphs)


def _mime(headers: str, body: str, *, cte: str, charset: str = "utf-8") -> bytes:
    data = body.encode(charset, "replace")
    if cte == "base64":
        payload = base64.encodebytes(data).decode("ascii")
    elif cte == "quoted-printable":
        import quopri

        payload = quopri.encodestring(data).decode("ascii")
    else:
        payload = data.decode(charset)
    head = (
        f"{headers}\nMIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: {cte}\n\n"
    )
    return head.encode("utf-8") + payload.encode(charset)


def _multipart(headers: str, body: str, *, html_only: bool) -> bytes:
    boundary = "==b0und4ry=="
    parts = []
    if not html_only:
        parts.append(f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")
    parts.append(f"Content-Type: text/html; charset=utf-8\n\n{_html(body)}\n")
    joined = "".join(f"--{boundary}\n{part}" for part in parts)
    return (
        f"{headers}\nMIME-Version: 1.0\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\n\n'
        f"{joined}--{boundary}--\n"
    ).encode()


def write_inputs(folder: Path) -> list[str]:
    """Every input file (names relative to ``folder``), in a fixed order."""
    names: list[str] = []

    def put(name: str, data: str | bytes) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        names.append(name)

    for source in sorted(CORPUS.iterdir()):
        put(f"corpus-{source.name}", source.read_bytes())
    for n, example in enumerate(_examples()):
        fields = example.fields
        body = fields.get("body", "")
        head = {k: v for k, v in fields.items() if k != "body" and "\n" not in v}
        put(f"example-{n:03}.eml", f"{_headers(head)}\n\n{body}")
    formats = (
        "eml",
        "eml-2047",
        "eml-qp",
        "eml-b64",
        "eml-multi",
        "eml-html",
        "eml-latin1",
        "eml-crlf",
        "txt-headers",
        "txt",
        "html",
        "j2",
    )
    rng = random.Random(16)
    for seed in SEEDS:
        words = rng.choice((40, 150, 600, 2000, 3000))
        draft = make_draft(words, seed)
        if seed % 7 == 3:
            draft["subject"] = "Nous sommes désolés : un e-mail envoyé par erreur"
        if seed % 5 == 4:
            del draft["reply-to"]
        form = formats[seed % len(formats)]
        body = draft["body"]
        head = _headers({k: v for k, v in draft.items() if k != "body"}, encoded=form == "eml-2047")
        if form in ("eml", "eml-2047"):
            put(f"gen-{seed:03}.eml", f"{head}\n\n{body}\n")
        elif form == "eml-qp":
            put(f"gen-{seed:03}.eml", _mime(head, body, cte="quoted-printable"))
        elif form == "eml-b64":
            put(f"gen-{seed:03}.eml", _mime(head, body, cte="base64"))
        elif form == "eml-latin1":
            put(f"gen-{seed:03}.eml", _mime(head, body, cte="8bit", charset="iso-8859-1"))
        elif form in ("eml-multi", "eml-html"):
            put(f"gen-{seed:03}.eml", _multipart(head, body, html_only=form == "eml-html"))
        elif form == "eml-crlf":
            put(f"gen-{seed:03}.eml", f"{head}\n\n{body}\n".replace("\n", "\r\n"))
        elif form == "txt-headers":
            put(f"gen-{seed:03}.txt", f"{head}\n\n{body}\n")
        elif form == "txt":
            put(f"gen-{seed:03}.txt", body)
        elif form == "html":
            put(f"gen-{seed:03}.html", _html(body))
        else:
            put(f"gen-{seed:03}.eml.j2", f"{head}\n\n{_template(body)}\n")
    put("bad-bytes.txt", b"We are sorry \xff\xfe for the email.\n")
    put("bad-header.eml", b"Subject: D\xe9sol\xe9s\n\nNous sommes d\xc3\xa9sol\xc3\xa9s.\n")
    put("empty.eml", b"")
    (folder / "a-folder").mkdir()
    names.append("a-folder")
    names.append("missing.eml")
    return names


def _examples() -> list[Any]:
    from tests.core.notify.lint.examples import EXAMPLES

    return EXAMPLES


# -- the shell --------------------------------------------------------------------------


def _command() -> list[str]:
    script = Path(sys.executable).with_name("email-crisis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]


def shell_runs(folder: Path, names: list[str]) -> dict[str, Any]:
    """stdout, stderr and exit code of each CLI call, keyed by its arguments."""
    readable = [n for n in names if not n.startswith(("bad-", "missing", "a-folder"))]
    calls: list[list[str]] = [
        ["--format", "json", *names],
        ["--format", "text", *names],
        ["--format", "json", *readable],
        ["--format", "text", *readable],
        ["--format", "json", "--kind", "data-breach", *readable],
        ["--format", "json", "--lang", "fr", *readable],
        ["--format", "json", "--template", "yes", *readable[::3]],
        ["--format", "text", "--kind", "wrong-segment", "--lang", "en", *readable[1::2]],
        ["--format", "json", *readable[:2]],
        ["--format", "json", "missing.eml", readable[0]],
    ]
    calls += [["--format", "json", name] for name in names[::9]]
    calls += [["--format", "text", name] for name in names[4::23]]
    command = _command()
    env = {k: v for k, v in CHILD_ENV.items() if k != "EMAIL_CRISIS_LINT_CONFIG"}
    runs: dict[str, Any] = {}
    for args in calls:
        done = subprocess.run(
            [*command, "lint", *args],
            capture_output=True,
            text=True,
            cwd=folder,
            env=env,
            check=False,
        )
        key = " ".join(args) if len(args) < 6 else f"{' '.join(args[:6])} ... ({len(args)} args)"
        runs[key] = {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    return runs


# -- in-process -------------------------------------------------------------------------


def _report(report: Report) -> dict[str, Any]:
    return {
        "findings": [{**f._asdict(), "severity": f.severity.value} for f in report.findings],
        "kind": report.kind,
        "inferred": report.kind_inferred,
        "evidence": report.kind_evidence._asdict() if report.kind_evidence else None,
        "language": report.language,
        "apology": report.apology,
    }


def in_process() -> dict[str, Any]:
    """Reports of the in-process API: examples, generated drafts, edits."""
    out: dict[str, Any] = {}
    shared = Linter()
    for n, example in enumerate(_examples()):
        fields, _ = example.parsed()
        config = parse_config(example.config) if example.config else None
        for lang in ("given", "auto"):
            context = example.context
            if lang == "given" and context.language == "auto":
                context = dataclasses.replace(context, language=example.lang)
            fresh = _report((Linter(config) if config else Linter()).inspect(fields, context))
            out[f"example {n} {example} {lang}"] = fresh
            if config is None:
                out[f"example {n} {example} {lang} shared"] = _report(
                    shared.inspect(fields, context)
                )
    rng = random.Random(12)
    contexts = [LintContext()]
    contexts += [LintContext(kind=kind) for kind in KINDS]
    contexts += [
        LintContext(language="en"),
        LintContext(language="fr"),
        LintContext(kind="data-breach", exposed=frozenset({"credentials", "payment-data"})),
        LintContext(purpose="campaign"),
        LintContext(is_template=True, template_name="apology"),
    ]
    for seed in range(0, 40):
        draft = make_draft(rng.choice((60, 300, 1200, 2000)), seed + 1000)
        if seed % 3 == 0:
            draft["subject"] = "OOPS!!! Nous sommes désolés, so sorry"
        for c, context in enumerate(contexts):
            fresh = _report(Linter().inspect(draft, context))
            warm = _report(shared.inspect(draft, context))
            out[f"draft {seed} context {c}"] = fresh
            if warm != fresh:
                out[f"draft {seed} context {c} shared"] = warm
        body = draft["body"]
        for _ in range(5):
            at = rng.randrange(len(body) + 1)
            edited = {**draft, "body": body[:at] + rng.choice("aé .\n") + body[at:]}
            fresh = _report(Linter().inspect(edited, contexts[0]))
            warm = _report(shared.inspect(edited, contexts[0]))
            out[f"draft {seed} edit {at}"] = fresh
            if warm != fresh:
                out[f"draft {seed} edit {at} shared"] = warm
    return out


# -- record / check ---------------------------------------------------------------------


def run() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="lint-same-"))
    try:
        names = write_inputs(folder)
        shell = shell_runs(folder, names)
    finally:
        shutil.rmtree(folder)
    return {"files": len(names), "shell": shell, "in-process": in_process()}


def digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    now = run()
    findings = sum(len(r["findings"]) for r in now["in-process"].values())
    print(
        f"{now['files']} files, {len(now['shell'])} shell calls, "
        f"{len(now['in-process'])} in-process checks ({findings:,} findings); "
        f"digest {digest(now)}"
    )
    if args.action == "record":
        args.file.write_text(json.dumps(now, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"recorded in {args.file}")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    differences = [
        f"{part}: {key}"
        for part in ("shell", "in-process")
        for key in sorted(set(before[part]) | set(now[part]))
        if before[part].get(key) != now[part].get(key)
    ]
    if not differences:
        print(f"identical to {args.file} (digest {digest(before)})")
        return 0
    print(f"{len(differences)} difference(s) from {args.file}:")
    for line in differences[:40]:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
