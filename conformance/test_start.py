"""Starting the server the wrong way gets one line saying what to do, and exit status 2."""
import subprocess

import pytest

import wlhelpers as wl

SQLITE_ONLY = pytest.mark.skipif(wl.STORE != "sqlite",
                                 reason="the embedded store's data folder (runs in the sqlite pass; nodes share PostgreSQL)")


def _start(log_dir, *args):
    cmd = [wl.java_cmd(), "-jar", str(wl.jar_path())] + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          cwd=str(log_dir))


def _only_line(r):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("wickr-local: "), r.stderr
    assert "Exception" not in r.stderr and "\tat " not in r.stderr, r.stderr
    assert "listening" not in r.stdout, r.stdout
    return lines[0]


def test_a_port_in_use_is_one_line_suggesting_port_0(log_dir):
    first = wl.ServerProcess(log_dir, ["--in-memory"], name="port-holder").start()
    try:
        line = _only_line(_start(log_dir, "--in-memory", "--port", str(first.port)))
        assert line == (f"wickr-local: cannot listen on 127.0.0.1:{first.port}: the port is in use (by another"
                        " Wickr Local?); choose another with --port N, or --port 0 for any free port")
    finally:
        first.stop()


@SQLITE_ONLY
def test_a_second_server_on_one_data_folder_is_refused_until_the_first_stops(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    first = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="folder-holder").start()
    try:
        line = _only_line(_start(log_dir, "--port", str(wl.free_port()), "--data-dir", str(data_dir)))
        assert line == (f"wickr-local: the data folder {data_dir} is in use by another Wickr Local (process"
                        f" {first.proc.pid}); one server writes a folder at a time: stop that one, or give"
                        " this one another --data-dir")
        network = first.endpoint().client().create_network(networkName="still mine", accessLevel="STANDARD")
    finally:
        first.stop()
    # Once the first has stopped the folder is free again, and what the first wrote is there.
    second = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="folder-next").start()
    try:
        assert second.endpoint().client().get_network(networkId=network["networkId"])["networkName"] == "still mine"
    finally:
        second.stop()


def test_version_is_the_artifact_version(log_dir):
    pom = (wl.REPO_ROOT / "pom.xml").read_text()
    version = pom.split("<version>", 2)[1].split("</version>", 1)[0]
    r = _start(log_dir, "--version")
    assert r.returncode == 0, r
    assert r.stdout.strip() == f"Wickr Local {version}"
