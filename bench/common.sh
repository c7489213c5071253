# Shell helpers the benchmark scripts share; each sources this file.

# A TCP port free on 127.0.0.1 at this moment.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Waits up to 30 s for the server at the base URL $1 to answer its health check; fails after that.
wait_healthy() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1/_local/health" && return 0; sleep 0.1; done; return 1; }

# Waits up to 30 s for the server at the base URL $1 to answer /_local/ready with 200 (its store answers).
wait_ready() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1/_local/ready" && return 0; sleep 0.1; done; return 1; }
