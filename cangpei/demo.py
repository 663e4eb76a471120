"""The demo: check the stack answers, then run the main job against it."""

from __future__ import annotations

import grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from cangpei.stack import health_status


def list_services(address: str) -> list[str]:
    with grpc.insecure_channel(address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        for answer in stub.ServerReflectionInfo(iter([request]), timeout=5):
            return sorted(s.name for s in answer.list_services_response.service)
    return []


def run_demo(addresses: dict[str, str], *, orders: int, speed: float) -> int:
    print("services:")
    for service, address in addresses.items():
        apis = [name for name in list_services(address) if name.startswith("cangpei.")]
        print(f"  {service:<10} {health_status(address):<12} {', '.join(apis)}")
    return 0
