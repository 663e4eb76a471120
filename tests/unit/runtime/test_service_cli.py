"""How the operators' command lines find a service."""

from __future__ import annotations

import json

from cangpei.service_cli import resolve_address


def test_an_explicit_address_wins():
    env = {"CANGPEI_WAREHOUSE_GRPC_PORT": "6000"}
    assert resolve_address("warehouse", "10.0.0.5:7000", env) == "10.0.0.5:7000"


def test_service_variables_come_before_a_running_stack(tmp_path):
    (tmp_path / "stack.json").write_text(json.dumps({"services": {"warehouse": "127.0.0.1:1"}}))
    env = {"CANGPEI_DATA_DIR": str(tmp_path), "CANGPEI_WAREHOUSE_GRPC_PORT": "6000"}
    assert resolve_address("warehouse", None, env) == "127.0.0.1:6000"
    env = {"CANGPEI_DATA_DIR": str(tmp_path), "CANGPEI_ROUTING_GRPC_HOST": "routing.internal"}
    assert resolve_address("routing", None, env) == "routing.internal:50054"


def test_the_stack_in_the_data_directory_is_found(tmp_path):
    (tmp_path / "stack.json").write_text(json.dumps({"services": {"warehouse": "127.0.0.1:41234"}}))
    assert resolve_address("warehouse", None, {"CANGPEI_DATA_DIR": str(tmp_path)}) == (
        "127.0.0.1:41234"
    )
    # A service the stack does not list, or an unreadable stack file: the default port.
    assert resolve_address("routing", None, {"CANGPEI_DATA_DIR": str(tmp_path)}) == (
        "127.0.0.1:50054"
    )
    (tmp_path / "stack.json").write_text("{not json")
    assert resolve_address("warehouse", None, {"CANGPEI_DATA_DIR": str(tmp_path)}) == (
        "127.0.0.1:50053"
    )
