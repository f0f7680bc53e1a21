"""The board's badges: every incident's worst current status in one query."""

from __future__ import annotations

from datetime import timedelta

from email_crisis.core.monitor import metrics
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


def test_badges_match_badge_for_every_incident(store: Store) -> None:
    calm = ops.declare(store, title="Calm", kind="other", operator="x")
    hot = ops.declare(store, title="Hot", kind="other", operator="x")
    none = ops.declare(store, title="No points", kind="other", operator="x")
    earlier = FROZEN_NOW - timedelta(hours=2)
    metrics.add_point(store, calm.id, metric="spam_rate", at=earlier, value="0.02", operator="x")
    metrics.add_point(store, hot.id, metric="spam_rate", at=earlier, value="0.05", operator="x")
    # The newest point is what counts: the hot incident's latest rate is over the limit.
    metrics.add_point(store, hot.id, metric="spam_rate", at=FROZEN_NOW, value="0.45", operator="x")
    found = metrics.badges(store)
    assert found == {calm.id: metrics.badge(store, calm.id), hot.id: metrics.badge(store, hot.id)}
    assert found[hot.id] == "critical"
    assert found[calm.id] == "ok"
    assert none.id not in found
