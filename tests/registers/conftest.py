"""Fixtures for the registers: units, officers in each role and the permissions they hold."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.registers.models import Unit, UnitMembership
from doingoai.registers.services import registers_grant_permissions
from tests.factories import PASSWORD

from .factories import UnitFactory


@dataclass
class Office:
    """Two district-level units and a province-level one, with an officer in each."""

    unit_a: Unit
    unit_b: Unit
    province: Unit
    users: dict = field(default_factory=dict)

    def officer(self, username: str, *, unit: Unit | None, role: str = "editor"):
        user = user_create_with_role(
            username=username,
            password=PASSWORD,
            role=role,
            email=f"{username}@laocai.gov.vn",
        )
        if unit is not None:
            UnitMembership.objects.get_or_create(user=user, unit=unit)
        return user


@pytest.fixture
def office(db, settings, tmp_path):
    settings.REGISTERS_IMPORT_DIR = str(tmp_path / "imports")
    roles_sync()
    registers_grant_permissions()  # roles_sync replaces the groups' permissions
    office = Office(
        unit_a=UnitFactory(name="Đồn Biên phòng Bát Xát", kind=Unit.Kind.BORDER_GUARD),
        unit_b=UnitFactory(name="UBND huyện Mường Khương", kind=Unit.Kind.DISTRICT),
        province=UnitFactory(
            name="Sở Thông tin và Truyền thông",
            kind=Unit.Kind.DEPARTMENT,
            is_province_level=True,
        ),
    )
    office.users["a"] = office.officer("canbo_a", unit=office.unit_a)
    office.users["b"] = office.officer("canbo_b", unit=office.unit_b)
    office.users["province"] = office.officer("canbo_tinh", unit=office.province)
    office.users["nobody"] = office.officer("khong_don_vi", unit=None)
    return office
