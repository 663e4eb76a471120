from dataclasses import dataclass
from decimal import Decimal

import pytest

from cangpei.runtime.settings import ServiceSettings, SettingsError, load_config


@dataclass(frozen=True)
class RulesForTest:
    min_capital_fen: int = 100_000_000
    deposit: Decimal = Decimal("10000.00")
    strict: bool = True
    words: tuple[str, ...] = ("旗舰", "专卖")


def test_defaults_are_used_when_nothing_is_set():
    assert load_config(RulesForTest, "catalog", {}) == RulesForTest()


def test_variables_override_fields_by_type():
    env = {
        "CANGPEI_CATALOG_MIN_CAPITAL_FEN": "5",
        "CANGPEI_CATALOG_DEPOSIT": "1.50",
        "CANGPEI_CATALOG_STRICT": "no",
        "CANGPEI_CATALOG_WORDS": "a, b",
    }
    assert load_config(RulesForTest, "catalog", env) == RulesForTest(
        5, Decimal("1.50"), False, ("a", "b")
    )


def test_unparseable_value_names_the_variable():
    with pytest.raises(SettingsError, match="CANGPEI_CATALOG_MIN_CAPITAL_FEN='lots'"):
        load_config(RulesForTest, "catalog", {"CANGPEI_CATALOG_MIN_CAPITAL_FEN": "lots"})


def test_service_settings_default_to_a_sqlite_file_per_service(tmp_path):
    settings = ServiceSettings.from_env("inventory", {"CANGPEI_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/inventory.db"
    assert settings.grpc_port == 50052
    assert settings.stream_name == "INVENTORY"


def test_unknown_service_is_refused():
    with pytest.raises(SettingsError, match="unknown service 'billing'"):
        ServiceSettings.from_env("billing", {})
