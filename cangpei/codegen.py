"""Generate the Python stubs for every proto under protos/.

    python -m cangpei.codegen            regenerate into the repository
    python -m cangpei.codegen --check    exit 1 when the committed stubs are stale

The stubs land beside the shared library (``cangpei/<service>/v1/``) because the
proto packages are ``cangpei.<service>.v1`` and protoc derives import paths from them.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "protos"


def proto_files() -> list[Path]:
    return sorted(PROTO_ROOT.rglob("*.proto"))


def generate(out_dir: Path) -> list[Path]:
    """Run protoc on every proto file; return the generated files, relative to out_dir."""
    from grpc_tools import protoc

    well_known = resources.files("grpc_tools") / "_proto"
    files = [str(p.relative_to(PROTO_ROOT)) for p in proto_files()]
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed; see the messages above")
    generated = []
    for proto in files:
        package_dir = out_dir / Path(proto).parent
        for parent in [package_dir, *package_dir.relative_to(out_dir).parents]:
            init = out_dir / parent / "__init__.py"
            if parent != Path(".") and not init.exists():
                init.write_text("")
        stem = Path(proto).with_suffix("")
        for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py"):
            generated.append(Path(f"{stem}{suffix}"))
    return generated


def stale_files() -> list[str]:
    """Names of committed stubs that differ from what protoc makes now."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        return [
            str(rel)
            for rel in fresh
            if not (ROOT / rel).exists() or not filecmp.cmp(Path(tmp) / rel, ROOT / rel, False)
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale stubs")
    args = parser.parse_args()
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale: {name} (run: python3 dev.py protos)")
        return 1 if stale else 0
    written = generate(ROOT)
    print(f"generated {len(written)} files from {len(proto_files())} protos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
