"""``email-crisis credentials ...`` and ``email-crisis esp ...``: keys and scripted stops.

``esp stop`` prints the exact request (keys masked) and what it cannot stop, asks for
confirmation (or takes ``--yes``), makes one call, and records it on the incident as an
``esp_call`` event. ``--dry-run`` only prints. Errors are one line, like every command.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType

import click

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.text import visible
from email_crisis.core.contain import esp as connectors
from email_crisis.tui.cli.common import INCIDENT_ID, one_line, opened, operator_name, store_options

ESP_CHOICE = click.Choice(connectors.names(), case_sensitive=False)
TARGET_OPTIONS = ("campaign", "batch", "single_send", "domain", "config_set")


def _stdin_is_terminal() -> bool:
    """Whether a confirmation can be asked (tests replace this)."""
    return sys.stdin.isatty()


def _creds() -> ModuleType:
    """The credentials module; keyring is imported only by commands that need it."""
    from email_crisis.core.contain import credentials

    return credentials


def _emit(lines: Sequence[str]) -> None:
    click.echo("\n".join(lines))


# -- credentials ----------------------------------------------------------------------


@click.group()
def credentials() -> None:
    """Store, list and remove ESP API keys (kept in the OS keyring)."""


@credentials.command("set")
@click.argument("esp_name", metavar="ESP", type=ESP_CHOICE)
def credentials_set(esp_name: str) -> None:
    """Store the API key for ESP in the OS keyring (asked for, never echoed)."""
    creds = _creds()
    conn = connectors.connector(esp_name)
    creds.require_keyring(conn.name)  # say so before the operator pastes a key in vain
    secret = click.prompt(
        f"{conn.label} API key ({conn.key_format})",
        hide_input=True,
        confirmation_prompt=True,
        show_default=False,
    )
    creds.store_secret(conn.name, secret)
    click.echo(f"Stored the {conn.label} key in the OS keyring.")


@credentials.command("list")
def credentials_list() -> None:
    """Show which ESPs have a key and where it comes from (never the key)."""
    creds = _creds()
    found = {item.esp: item.source for item in creds.configured()}
    width = max(len(name) for name in connectors.names())
    lines = [f"{'ESP'.ljust(width)}  KEY"]
    lines += [f"{name.ljust(width)}  {found.get(name, '-')}" for name in connectors.names()]
    problem = creds.keyring_problem()
    if problem:
        lines += [
            "",
            f"Note: the OS keyring cannot be used here ({problem}). Keys can come from "
            "EMAIL_CRISIS_<ESP>_API_KEY, or install keyrings.alt for a file-based keyring.",
        ]
    _emit(lines)


@credentials.command("delete")
@click.argument("esp_name", metavar="ESP", type=ESP_CHOICE)
def credentials_delete(esp_name: str) -> None:
    """Remove the API key for ESP from the OS keyring."""
    creds = _creds()
    conn = connectors.connector(esp_name)
    if not creds.delete_secret(conn.name):
        variable = creds.env_var(conn.name)
        hint = ""
        if any(item.esp == conn.name for item in creds.configured()):
            hint = f"; the key in use comes from {variable}: unset it in your shell"
        raise CrisisError(f"there is no {conn.label} key in the keyring{hint}.")
    click.echo(f"Removed the {conn.label} key from the OS keyring.")


# -- esp ------------------------------------------------------------------------------


@click.group(name="esp")
def esp() -> None:
    """Stop a send at the ESP (SparkPost, SendGrid, Mailgun, SES, Mailchimp, Brevo)."""


@esp.command("list")
def esp_list() -> None:
    """What each connector can stop, what it needs, and what it cannot stop."""
    creds = _creds()
    lines: list[str] = []
    for name in connectors.names():
        conn = connectors.connector(name)
        lines.append(f"{name} ({conn.label}); key: {conn.key_format}, or ${creds.env_var(name)}")
        for op in conn.operations.values():
            needs = " ".join("--" + n.replace("_", "-") for n in op.needs)
            lines.append(f"  {op.id:<20} {needs:<14} {op.title}")
            lines.append(f"  {'':<20} cannot stop: {op.cannot_stop}")
        lines.append("")
    _emit(lines[:-1])


def _target(
    esp_name: str, values: dict[str, str | None], account: bool, pause: bool, operation: str | None
) -> connectors.StopTarget:
    given = [name for name in TARGET_OPTIONS if values.get(name)]
    if account:
        given.append("account")
    if len(given) != 1:
        flags = "--campaign, --batch, --single-send, --domain, --config-set or --account"
        raise click.UsageError(f"give exactly one of {flags}.")
    kind = given[0]
    chosen = connectors.choose_operation(esp_name, kind, pause=pause, operation=operation)
    if kind == "account":
        return connectors.StopTarget(esp=esp_name, operation=chosen, account=True)
    return connectors.StopTarget(esp=esp_name, operation=chosen, **{kind: values[kind]})


def _plan_lines(planned: connectors.PlannedRequest, key_note: str, title: str) -> list[str]:
    return [
        f"Incident {title}",
        f"Planned request to {planned.esp_label} ({planned.operation}):",
        *planned.display_lines(),
        f"What it does: {visible(planned.summary, single_line=True)}",
        f"What it cannot stop: {planned.what_it_cannot_stop}",
        f"Key: {key_note}",
    ]


def _confirm(planned: connectors.PlannedRequest, yes: bool) -> None:
    if yes:
        return
    if not _stdin_is_terminal():
        raise CrisisError(
            "not confirmed: standard input is not a terminal, so no question can be asked. "
            "Pass --yes to send from a script. Nothing was sent."
        )
    if not click.confirm(f"Send this request to {planned.esp_label} now?", default=False):
        raise CrisisError("not confirmed; nothing was sent.")


@esp.command("stop")
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option("--esp", "esp_name", required=True, type=ESP_CHOICE, help="Which ESP.")
@click.option("--campaign", metavar="C", help="Campaign id (SparkPost, Mailchimp, Brevo).")
@click.option("--batch", metavar="B", help="SendGrid batch id.")
@click.option("--single-send", "single_send", metavar="S", help="SendGrid Single Send id.")
@click.option("--domain", metavar="D", help="Mailgun sending domain.")
@click.option("--config-set", "config_set", metavar="S", help="Amazon SES configuration set.")
@click.option("--account", is_flag=True, help="Amazon SES: stop all sending of the account.")
@click.option("--pause", is_flag=True, help="SendGrid batch: pause instead of cancel.")
@click.option("--operation", metavar="OP", help="Name the operation (see 'esp list').")
@click.option("--base-url", metavar="URL", help="Another endpoint (EU region, proxy).")
@click.option("--dry-run", is_flag=True, help="Print the request; send and record nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@store_options
def esp_stop(
    incident_id: int,
    esp_name: str,
    campaign: str | None,
    batch: str | None,
    single_send: str | None,
    domain: str | None,
    config_set: str | None,
    account: bool,
    pause: bool,
    operation: str | None,
    base_url: str | None,
    dry_run: bool,
    yes: bool,
    db: str | None,
    operator: str | None,
) -> None:
    """Stop a send at the ESP and record the call on incident ID."""
    creds = _creds()

    values = {
        "campaign": campaign,
        "batch": batch,
        "single_send": single_send,
        "domain": domain,
        "config_set": config_set,
    }
    name = connectors.connector(esp_name).name
    target = _target(name, values, account, pause, operation)
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        secret: str | None = None
        missing: CrisisError | None = None
        try:
            secret, source = creds.get_secret(name)
            key_note = f"from the {source}"
        except creds.MissingCredentials as error:
            missing, source, key_note = error, None, "none found (a dry run does not need one)"
        # Plan first, so a bad option is reported before a missing key.
        settings = connectors.settings_for(name, base_url=base_url, secret=secret)
        planned = connectors.plan(target, connectors.known_hosts(store, target, settings))
        if missing is not None and not dry_run:
            raise missing
        title = f"{incident.id}: {one_line(incident.title)}"
        _emit(_plan_lines(planned, key_note, title))
        if dry_run:
            click.echo("Dry run: nothing was sent and nothing was recorded.")
            return
        _confirm(planned, yes)
        assert secret is not None
        result = connectors.execute(planned, secret)
        sentence = connectors.describe_result(planned, result)
        details = connectors.call_record(planned, result, key_source=source, secret=secret)
        try:
            store.append_event(
                incident_id,
                operator=operator_name(operator),
                type_="esp_call",
                details=details,
            )
        except CrisisError as error:
            # The call happened: say what the ESP answered even though it is not recorded.
            raise CrisisError(f"{sentence}; but it could not be recorded: {error}") from None
    if not result.ok:
        raise CrisisError(f"{sentence} (recorded on incident {incident_id})")
    click.echo(visible(sentence, single_line=True))
    click.echo(f"Recorded on incident {incident_id}.")
