"""Why a 50-user toggle costs more in a big network: the same call on 50 users whose rows are
neighbours in the users table (consecutive user ids) and on 50 users spread over it (consecutive in
username order, which is how ListUsers pages them), against a server running on a data folder that
bench/scale.py filled. Reads the ids from the SQLite file itself, read-only.

    python3 bench/toggle_locality.py --endpoint http://127.0.0.1:8484 --db DATA_DIR/wickr-local.db
"""
import argparse
import sqlite3
import statistics
import time

import boto3
from botocore.config import Config


def timed(client, network, ids, calls=100):
    samples = []
    for i in range(calls):
        t0 = time.perf_counter()
        client.batch_toggle_user_suspend_status(networkId=network, suspend=i % 2 == 0, userIds=ids)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    client = boto3.client("wickr", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
    networks = db.execute("SELECT network_id, COUNT(*) FROM users GROUP BY network_id ORDER BY 2").fetchall()
    for network, users in (networks[0], networks[-1]):
        middle = users // 2
        adjacent = [str(r[0]) for r in db.execute(
            "SELECT user_id FROM users WHERE network_id = ? ORDER BY user_id LIMIT 50 OFFSET ?", (network, middle))]
        spread = [str(r[0]) for r in db.execute(
            "SELECT user_id FROM users WHERE network_id = ? ORDER BY username_key LIMIT 50 OFFSET ?",
            (network, middle))]
        pages = db.execute("SELECT COUNT(*) FROM dbstat WHERE name = 'users'").fetchone()[0] \
            if db.execute("SELECT 1 FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'").fetchone() \
            else None
        timed(client, network, adjacent, 10)  # warm
        print(f"network of {users:,} users: toggle of 50 neighbouring users {timed(client, network, adjacent):.2f} ms,"
              f" of 50 users spread over the table {timed(client, network, spread):.2f} ms (median of 100)"
              + (f"; users table: {pages:,} pages" if pages else ""))


if __name__ == "__main__":
    main()
