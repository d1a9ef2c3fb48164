"""Fixtures for the reports: units with an officer each, and a sample of two years of records."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.registers.models import Unit, UnitMembership
from doingoai.registers.services import registers_grant_permissions
from tests.factories import PASSWORD, build_portal
from tests.registers.factories import UnitFactory

from .sample import Ledger, build_portal_items, build_registers, build_visits


@dataclass
class Office:
    units: dict
    users: dict = field(default_factory=dict)

    def officer(self, username: str, *, unit: Unit | None, role: str = "editor"):
        user = user_create_with_role(
            username=username, password=PASSWORD, role=role, email=f"{username}@laocai.gov.vn"
        )
        if unit is not None:
            UnitMembership.objects.get_or_create(user=user, unit=unit)
        return user


@pytest.fixture
def office(db):
    roles_sync()
    registers_grant_permissions()
    office = Office(
        units={
            "a": UnitFactory(name="Đồn Biên phòng Bát Xát", kind=Unit.Kind.BORDER_GUARD),
            "b": UnitFactory(name="UBND huyện Mường Khương", kind=Unit.Kind.DISTRICT),
            "province": UnitFactory(
                name="Sở Thông tin và Truyền thông",
                kind=Unit.Kind.DEPARTMENT,
                is_province_level=True,
            ),
        }
    )
    office.users["a"] = office.officer("canbo_a", unit=office.units["a"])
    office.users["b"] = office.officer("canbo_b", unit=office.units["b"])
    office.users["province"] = office.officer("canbo_tinh", unit=office.units["province"])
    office.users["nobody"] = office.officer("khong_don_vi", unit=None)
    return office


@dataclass
class Sample:
    office: Office
    ledger: Ledger
    portal: object


@pytest.fixture
def sample(office):
    ledger = Ledger()
    portal = build_portal(n_articles=1)
    build_registers(office.units, ledger)
    build_portal_items(portal, ledger)
    build_visits(ledger)
    return Sample(office=office, ledger=ledger, portal=portal)
