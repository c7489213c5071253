"""The AWS CLI works against the emulator."""
import json
import os
import shutil
import subprocess
import sys

import pytest

import wlhelpers as wl


def _aws_cmd():
    exe = shutil.which("aws")
    if exe:
        return [exe]
    return [sys.executable, "-m", "awscli"]


@pytest.fixture(scope="module")
def aws(ep, tmp_path_factory):
    home = tmp_path_factory.mktemp("aws-cli-home")
    (home / "config").write_text("")
    (home / "credentials").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": str(home),
    })

    def run(*args, expect_ok=True):
        cmd = _aws_cmd() + ["wickr", *args, "--endpoint-url", ep.url,
                            "--region", "us-east-1", "--output", "json"]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if expect_ok:
            assert p.returncode == 0, f"{' '.join(cmd)}\nstdout: {p.stdout}\nstderr: {p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p
    return run


def test_cli_end_to_end(aws, client):
    created = aws("create-network", "--network-name", "cli-net", "--access-level", "STANDARD")
    nid = created["networkId"]
    assert wl.NETWORK_ID_RE.match(nid)
    assert created["networkName"] == "cli-net"
    group = wl.default_group_id(client, nid)
    tag = wl.uid_tag()
    users = [{"username": f"cli{i}-{tag}@example.com", "firstName": f"Cli{i}",
              "lastName": "User", "securityGroupIds": [group]} for i in range(2)]
    made = aws("batch-create-user", "--network-id", nid, "--users", json.dumps(users))
    assert not made.get("failed"), made
    ids = [u["userId"] for u in made["successful"]]
    assert len(ids) == 2

    got = aws("get-user", "--network-id", nid, "--user-id", ids[0])
    assert got["userId"] == ids[0]
    assert got["suspended"] is False

    r = aws("batch-toggle-user-suspend-status", "--network-id", nid, "--suspend",
            "--user-ids", ids[0], ids[1])
    assert sorted(s["userId"] for s in r["successful"]) == sorted(ids)
    for uid in ids:
        assert aws("get-user", "--network-id", nid, "--user-id", uid)["suspended"] is True
        assert client.get_user(networkId=nid, userId=uid)["suspended"] is True

    r = aws("batch-toggle-user-suspend-status", "--network-id", nid, "--no-suspend",
            "--user-ids", ids[1])
    assert [s["userId"] for s in r["successful"]] == [ids[1]]
    assert client.get_user(networkId=nid, userId=ids[1])["suspended"] is False
    assert client.get_user(networkId=nid, userId=ids[0])["suspended"] is True


def test_cli_reports_service_errors(aws, client):
    nid = wl.unused_network_id(client)
    p = aws("get-network", "--network-id", nid, expect_ok=False)
    assert p.returncode != 0
    assert "ResourceNotFoundError" in p.stderr, p.stderr
