from cangpei.codegen import stale_files


def test_committed_stubs_match_the_protos():
    stale = stale_files()
    assert not stale, f"stale generated code, run `python3 dev.py protos`: {stale}"
