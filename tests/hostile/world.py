"""One incident driven through every step with hostile text wherever outside text enters.

Everything goes through the real step functions (nothing is written with SQL), so the
text sits where the app itself puts it: titles, the commander, operator names, the
statement, containment notes, a custom action, an escalation, an ESP answer, the
assessment's free text, file names, CSV headers and cells, plan tasks and notes, the
apology's fields, metric notes and file names, the closing summary, the reason to
reopen.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.close import lifecycle
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.monitor.metrics import add_point, import_file
from email_crisis.core.notify import drafts as notify
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from tests.hostile.strings import BIDI, CONTROLS, HTML, JINJA, MARKUP, OSC_TITLE, TYPED

OPERATOR = "[b]ops[/b] <i>x</i>"
"""An operator name holding markup and HTML (plain text: accepted)."""
AFFECTED_FILE = f"affected [bold]{OSC_TITLE}[@click=app.quit] {BIDI}.csv"
SUPPRESSED_FILE = "suppressed [@click=app.quit].csv"
METRICS_FILE = f"metrics {OSC_TITLE}.csv"
ESP_ANSWER = f"bad token [/] here; Not Found [/v3/user/scheduled_sends] {CONTROLS}"
FORMULA = "=1+1@evil.com"


def build_hostile(store: Store, folder: Path) -> int:
    """Declare and work one hostile incident; returns its id. Files go in ``folder``."""
    who = OPERATOR
    incident = ops.declare(
        store,
        title=TYPED,
        kind="wrong-segment",
        severity="SEV2",
        operator=who,
        detected_at=store.clock() - timedelta(hours=2),
    )
    incident = ops.acknowledge(store, incident, operator=who)
    incident = ops.set_commander(store, incident, MARKUP, operator=who)
    incident = ops.write_statement(store, incident, f"{TYPED}\n{MARKUP}\n{HTML}", operator=who)

    # Contain: a note, an action of our own, an escalation, an ESP that answers in markup
    # and terminal controls (recorded as the ESP's own words).
    actions = contain.ensure_actions(store, incident, load_playbook(), operator=who)
    contain.add_note(store, actions[0], TYPED, operator=who)
    contain.add_custom_action(
        store, incident, title=f"{MARKUP} {HTML}", person=MARKUP, operator=who
    )
    contain.escalate(store, incident, to="security", contact=MARKUP, note=TYPED, operator=who)
    runnable = next((a for a in actions if a.esp_operation), actions[0])
    contain.record_execution(
        store,
        runnable,
        ok=False,
        esp="sendgrid",
        operation="cancel-batch",
        status_code=404,
        message=ESP_ANSWER,
        operator=who,
    )
    incident = store.get_incident(incident.id)

    # Assess: free text, and lists whose names, headers and cells are hostile.
    assess.update_assessment(
        store,
        incident,
        {"cause_text": TYPED, "campaigns": MARKUP, "segments": HTML},
        operator=who,
    )
    affected = folder / AFFECTED_FILE
    affected.write_text(
        f"Email [@click=app.quit]x[/],[/],{JINJA}\n"
        f"{FORMULA},{MARKUP},{HTML}\n"
        "ana@example.com,x,y\n"
        "-2+3@example.com,x,y\n",
        encoding="utf-8",
    )
    suppressed = folder / SUPPRESSED_FILE
    suppressed.write_text("email,[/]\nnobody@example.com,[/]\n", encoding="utf-8")
    incident = store.get_incident(incident.id)
    audience.import_list(store, incident, affected, role="affected", operator=who)
    audience.import_list(store, incident, suppressed, role="suppressed", operator=who)

    # Plan: a task and a dropped one, with hostile titles, owners and notes.
    book = plan.load_suggestions()
    role = next(iter(book.roles))
    incident = store.get_incident(incident.id)
    task = plan.add_task(
        store,
        incident,
        title=TYPED,
        kind="internal-fix",
        owner_role=role,
        owner=MARKUP,
        operator=who,
        due_at=store.clock() + timedelta(hours=4),
        roles=book.roles,
    )
    other = plan.add_task(
        store, incident, title=HTML, kind="process-change", owner_role=role, operator=who,
        roles=book.roles,
    )  # fmt: skip
    plan.set_status(store, other, "dropped", operator=who, note=f"{TYPED} {MARKUP}")
    del task

    # Notify: the apology's fields.
    notify.save_draft(
        store,
        store.get_incident(incident.id),
        {
            "from_address": "news@example.com",
            "reply_to": "care@example.com",
            "subject": f"We made a mistake {MARKUP} {HTML}",
            "preheader": MARKUP,
            "body": f"We are sorry.\n\n{MARKUP}\n{HTML}\n\nThe team",
        },
        who,
    )

    # Monitor: an imported file with a hostile name and notes, and a point by hand.
    metrics = folder / METRICS_FILE
    hour_ago = (store.clock() - timedelta(hours=1)).isoformat()
    metrics.write_text(
        f'time,metric,value,note\n{hour_ago},complaint_rate,0.41,"{MARKUP} {HTML} {BIDI}"\n',
        encoding="utf-8",
    )
    import_file(store, incident.id, metrics, operator=who)
    add_point(
        store,
        incident.id,
        metric="volume",
        at=store.clock() - timedelta(minutes=30),
        value="1200",
        operator=who,
        note=MARKUP,
    )

    # Close, reopen, close again: the summary and the reason are free text.
    incident = lifecycle.resolve(
        store, store.get_incident(incident.id), who, summary=TYPED, reason=f"{MARKUP} {HTML}"
    )
    incident = lifecycle.reopen(store, incident, who, f"{MARKUP} {HTML}")
    return incident.id
