"""Fixtures for the notify tests: isolated brand and template folders, incidents, findings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.notify.brand import BRAND_ENV, Brand, load_brand
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW

SHOP_BRAND = Path(__file__).parents[2] / "data" / "shop_brand.toml"
"""An organisation's brand: exports work with it (the shipped example brand is refused)."""


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's own brand file and template folder out of the tests; the
    brand in force is the test organisation's (``SHOP_BRAND``)."""
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "no-org-templates"))
    monkeypatch.setenv(BRAND_ENV, str(SHOP_BRAND))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


@pytest.fixture
def brand() -> Brand:
    return load_brand()


@pytest.fixture
def declare(store: Store) -> Callable[..., Incident]:
    def make(kind: str = "wrong-content", title: str = "Spring sale sent twice") -> Incident:
        return ops.declare(
            store,
            title=title,
            kind=kind,
            severity="SEV2",
            operator="sam",
            detected_at=FROZEN_NOW - timedelta(hours=2),
        )

    return make
