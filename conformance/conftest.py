"""pytest fixtures for the Wickr Local black-box conformance suite.

The suite starts the packaged server jar (WICKR_LOCAL_JAR, default
target/wickr-local.jar) and talks to it with boto3, the AWS CLI and raw
SigV4-signed HTTP requests.
"""
import atexit
import os
import shutil
import tempfile

# Keep the host's AWS configuration (profiles, endpoint overrides, regions)
# out of every client the suite creates, including AWS CLI subprocesses.
_AWS_SANDBOX = tempfile.mkdtemp(prefix="wl-aws-")
atexit.register(shutil.rmtree, _AWS_SANDBOX, True)
for _var in list(os.environ):
    if _var.startswith("AWS_"):
        del os.environ[_var]
os.environ["AWS_CONFIG_FILE"] = os.path.join(_AWS_SANDBOX, "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(_AWS_SANDBOX, "credentials")
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import pytest  # noqa: E402

# Hard imports: without boto3 the suite must error out rather than skip.
import boto3  # noqa: E402,F401
import requests  # noqa: E402,F401

import wlhelpers as wl  # noqa: E402

from wlhelpers import ACCOUNT_A, ACCOUNT_B  # noqa: E402


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("wickr-local-logs")


@pytest.fixture(scope="session")
def server_factory(log_dir):
    """Start extra servers (own flags / data dirs); all stopped at the end."""
    started = []

    def start(*args, name="extra"):
        srv = wl.ServerProcess(log_dir, args, name=name).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def server(log_dir):
    srv = wl.ServerProcess(log_dir, ["--in-memory"], name="main").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def ep(server) -> wl.Endpoint:
    """The shared in-memory server: .url, .client(...), .raw(...)."""
    return server.endpoint()


@pytest.fixture(scope="session")
def client(ep):
    return ep.client()


@pytest.fixture(scope="session")
def make_client(ep):
    return ep.client


@pytest.fixture(scope="session")
def raw(ep):
    return ep.raw


@pytest.fixture(scope="session")
def multi_ep(server_factory) -> wl.Endpoint:
    """A server that only knows two explicit credentials (two accounts)."""
    srv = server_factory(
        "--in-memory",
        "--credential", ":".join(ACCOUNT_A),
        "--credential", ":".join(ACCOUNT_B),
        name="multi")
    return srv.endpoint()


@pytest.fixture
def network(client):
    """A fresh network in us-east-1 for the default account."""
    return wl.new_network(client)


@pytest.fixture
def group(client, network):
    """The default security group id of `network`."""
    return wl.default_group_id(client, network)


def pytest_addoption(parser):
    parser.addoption("--store", choices=("sqlite", "postgresql"), default=None,
                     help="the store the servers under test use (default: $WICKR_STORE, else sqlite)")


def pytest_configure(config):
    chosen = config.getoption("--store")
    if chosen:
        wl.STORE = chosen


def pytest_report_header(config):
    return f"Wickr Local store under test: {wl.STORE}"
