"""Secrets at rest: the embedded store's files are readable by their owner only, and the SSO and
OpenTDF client secrets are stored encrypted with a key kept outside the database; a node started
with another key stops at start with one line (issue #11)."""
import os
import shutil
import sqlite3
import stat
import subprocess

import pytest

import wlhelpers as wl

SQLITE_ONLY = pytest.mark.skipif(wl.STORE != "sqlite", reason="the embedded store's files (runs in the sqlite pass)")
DB = "wickr-local.db"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _configure(client, nid):
    client.register_oidc_config(networkId=nid, companyId="UE1-acme", issuer="https://login.example.com/realms/w",
                                scopes="openid email", userId="wickr-app", secret="oidc-hunter2")
    client.register_opentdf_config(networkId=nid, clientId="cid", clientSecret="tdf-hunter2",
                                   domain="tdf.example.com", provider="virtru")


def _assert_answered(client, nid):
    info = client.get_oidc_info(networkId=nid)["openidConnectInfo"]
    assert info["secret"] == "oidc-hunter2" and info["clientSecret"] == "oidc-hunter2"
    assert client.get_opentdf_config(networkId=nid)["clientSecret"] == "tdf-hunter2"


def _raw_columns(data_dir, nid) -> list:
    """The stored secret columns, read with SQL past the server."""
    if wl.STORE == "sqlite":
        with sqlite3.connect(f"file:{data_dir / DB}?mode=ro", uri=True) as c:
            oidc = c.execute("SELECT config FROM oidc_configs WHERE network_id = ?", (nid,)).fetchone()[0]
            tdf = c.execute("SELECT client_secret FROM opentdf_configs WHERE network_id = ?", (nid,)).fetchone()[0]
        return [oidc, tdf]
    url = wl.POSTGRES.for_data_dir(str(data_dir))
    host_port, rest = url[len("postgresql://"):].split("/", 1)
    host, port = host_port.split(":")
    name, query = rest.split("?")
    user = query.split("=")[1]
    out = []
    for sql in (f"SELECT config FROM oidc_configs WHERE network_id = '{nid}'",
                f"SELECT client_secret FROM opentdf_configs WHERE network_id = '{nid}'"):
        r = subprocess.run([shutil.which("psql") or "psql", "-h", host, "-p", port, "-U", user, "-d", name,
                            "-Atc", sql], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        out.append(r.stdout.strip())
    return out


def test_secrets_are_stored_encrypted_and_still_answered_after_a_restart(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    first = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-a").start()
    try:
        c = first.endpoint().client()
        nid = wl.new_network(c)
        _configure(c, nid)
        _assert_answered(c, nid)
        for value in _raw_columns(data_dir, nid):
            assert value.startswith("v1:"), value
            assert "hunter2" not in value and "acme" not in value
    finally:
        assert first.stop(), first.log_tail()
    assert "hunter2" not in first.log_tail(400)
    second = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-b").start()
    try:
        _assert_answered(second.endpoint().client(), nid)
    finally:
        second.stop()


def test_another_key_stops_the_start_with_one_line(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    first = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-key").start()
    first.stop()
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    cmd = [wl.java_cmd(), "-jar", str(wl.jar_path()), "--port", str(wl.free_port()),
           "--secrets-key-file", str(other)] + wl.store_args(["--data-dir", str(data_dir)])
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                       cwd=str(log_dir))
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    expected = (f"wickr-local: the secrets key file {other} is not the key this database was first used with:"
                " every node of one database needs the same key (--secrets-key-file)")
    assert [line for line in r.stderr.splitlines() if line.startswith("wickr-local:")] == [expected], r.stderr
    assert "Exception" not in r.stderr and "\tat " not in r.stderr, r.stderr
    assert "listening" not in r.stdout, r.stdout


@SQLITE_ONLY
@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "existing folder"])
def test_store_files_and_key_are_readable_by_their_owner_only(log_dir, tmp_path, existing):
    data_dir = tmp_path / "made" / "data"
    if existing:
        data_dir.mkdir(parents=True)
        os.chmod(data_dir, 0o755)
    srv = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-files").start()
    try:
        c = srv.endpoint().client()
        _configure(c, wl.new_network(c))
        for name in (DB, DB + "-wal", DB + "-shm", "secrets.key"):
            assert _mode(data_dir / name) == 0o600, (name, oct(_mode(data_dir / name)))
        assert _mode(data_dir) == (0o755 if existing else 0o700)
        if not existing:
            assert _mode(data_dir.parent) == 0o700
    finally:
        srv.stop()


@SQLITE_ONLY
def test_a_database_an_earlier_version_left_readable_by_others_is_narrowed_at_start(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-old").start().stop()
    os.chmod(data_dir / DB, 0o644)
    srv = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="secrets-narrowed").start()
    try:
        wl.new_network(srv.endpoint().client())
        for name in (DB, DB + "-wal", DB + "-shm"):
            assert _mode(data_dir / name) == 0o600, (name, oct(_mode(data_dir / name)))
    finally:
        srv.stop()
