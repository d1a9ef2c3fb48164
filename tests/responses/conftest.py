"""Fixtures of the responses tests: an office with a province-level unit and a district, staff
in every role, a webhook receiver on 127.0.0.1 (loopback allowed) and fast retries."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.registers.models import Unit, UnitMembership
from doingoai.responses.services import responses_grant_permissions
from tests.factories import PASSWORD
from tests.registers.factories import UnitFactory

from .hook_server import start_receiver


@dataclass
class Office:
    province: Unit
    district: Unit
    other: Unit
    users: dict = field(default_factory=dict)

    def officer(self, username: str, *, role: str, unit: Unit | None):
        user = user_create_with_role(
            username=username, password=PASSWORD, role=role, email=f"{username}@laocai.gov.vn"
        )
        if unit is not None:
            UnitMembership.objects.get_or_create(user=user, unit=unit)
        return user


@pytest.fixture
def office(db):
    roles_sync()
    responses_grant_permissions()
    office = Office(
        province=UnitFactory(
            name="Sở Thông tin và Truyền thông", kind=Unit.Kind.DEPARTMENT, is_province_level=True
        ),
        district=UnitFactory(name="UBND huyện Bát Xát", kind=Unit.Kind.DISTRICT),
        other=UnitFactory(name="UBND huyện Mường Khương", kind=Unit.Kind.DISTRICT),
    )
    for role in ("reporter", "editor", "approver", "administrator"):
        office.users[role] = office.officer(f"tinh_{role}", role=role, unit=office.province)
    office.users["district_editor"] = office.officer(
        "huyen_editor", role="editor", unit=office.district
    )
    return office


@pytest.fixture(scope="session")
def _receiver_server():
    receiver, server, thread = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def receiver(_receiver_server):
    _receiver_server.reset()
    return _receiver_server


@pytest.fixture(autouse=True)
def _responses_settings(settings):
    settings.MONITORING_ALLOW_LOOPBACK = True
    settings.MONITORING_CONNECT_TIMEOUT = 1.0
    settings.MONITORING_READ_TIMEOUT = 1.0
    settings.RESPONSES_RETRY_SECONDS = 60
    settings.RESPONSES_MAX_ATTEMPTS = 3
    settings.RESPONSES_DIGEST_HOUR = 7
